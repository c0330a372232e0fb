"""Draws the client portal's app icons (gateway/web/static/portal/icon-<size>.png): a white
speech bubble with a check mark on the portal's blue, full-bleed so that the same file serves as
a maskable icon. Written with zlib alone, so making them downloads nothing:
`.venv/bin/python scripts/portal_icons.py`."""
import struct
import zlib
from pathlib import Path

BLUE, WHITE = (0x1F, 0x5F, 0xBF), (0xFF, 0xFF, 0xFF)
TARGET = Path(__file__).resolve().parent.parent / "gateway" / "web" / "static" / "portal"


def inside_bubble(x, y):
    """The bubble in unit coordinates (0..1): a rounded box with a tail at the lower left."""
    left, right, top, bottom, r = 0.22, 0.78, 0.26, 0.66, 0.08
    cx, cy = min(max(x, left + r), right - r), min(max(y, top + r), bottom - r)
    in_box = left <= x <= right and top <= y <= bottom and (x - cx) ** 2 + (y - cy) ** 2 <= r * r
    in_tail = bottom <= y <= 0.78 and 0.32 <= x <= 0.32 + (0.78 - y) * 1.2
    return in_box or in_tail


def on_check(x, y, width=0.045):
    """Two strokes of a check mark inside the bubble."""
    def near(ax, ay, bx, by):
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
        return (x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= width * width
    return near(0.36, 0.46, 0.46, 0.56) or near(0.46, 0.56, 0.65, 0.36)


def pixel(x, y):
    if inside_bubble(x, y) and not on_check(x, y):
        return WHITE
    return BLUE


def png(size):
    rows = bytearray()
    for row in range(size):
        rows.append(0)
        for column in range(size):
            rows.extend(pixel((column + 0.5) / size, (row + 0.5) / size))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
            + chunk(b"IEND", b""))


def main():
    TARGET.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        (TARGET / f"icon-{size}.png").write_bytes(png(size))


if __name__ == "__main__":
    main()
