"""Waiting for what a container does on its own green threads (an event handled, a relay run)."""
import eventlet


def wait_for(condition, seconds=10):
    """Return once `condition()` holds; eventlet.Timeout after `seconds`."""
    with eventlet.Timeout(seconds):
        while not condition():
            eventlet.sleep(0.05)
