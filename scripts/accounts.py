"""The installation owner's command line for accounts, over the gateway's HTTP API.

    ./servicedesk accounts list
    ./servicedesk accounts create SLUG "Name" ADMIN_EMAIL [--time-zone Asia/Yekaterinburg] [--locale en]
    ./servicedesk accounts deactivate ACCOUNT_ID
    ./servicedesk accounts activate ACCOUNT_ID

`create` prints the first admin's API token (shown this once); the admin sets a password through
a reset token (POST /api/v1/employees/{id}/password-reset) or works with the token.
Environment: GATEWAY_URL (http://127.0.0.1:$GATEWAY_PORT), SERVICE_DESK_OWNER_TOKEN (default: the
one ./servicedesk run keeps in DATA_DIR/owner-token).
"""
import argparse
import json
import os
import sys
from pathlib import Path

import requests

from seed import ROOT, every, owner_token


def main(argv=None):
    parser = argparse.ArgumentParser(prog="./servicedesk accounts", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list")
    create = commands.add_parser("create")
    create.add_argument("slug")
    create.add_argument("name")
    create.add_argument("admin_email")
    create.add_argument("--admin-name", default="Администратор")
    create.add_argument("--time-zone", default="Europe/Moscow")
    create.add_argument("--locale", default="ru", choices=("ru", "en"))
    for verb in ("deactivate", "activate"):
        commands.add_parser(verb).add_argument("account_id")
    args = parser.parse_args(argv)

    data_dir = Path(os.environ.get("DATA_DIR", ROOT / "data"))
    url = os.environ.get("GATEWAY_URL", f"http://127.0.0.1:{os.environ.get('GATEWAY_PORT', '8080')}")
    headers = {"Authorization": f"Bearer {owner_token(data_dir)}"}
    if args.command == "list":
        print(json.dumps(list(every(url, "/api/v1/accounts", headers)), ensure_ascii=False, indent=2))
        return 0
    if args.command == "create":
        answer = requests.post(f"{url}/api/v1/accounts", headers=headers, timeout=30, json={
            "slug": args.slug, "name": args.name, "time_zone": args.time_zone,
            "locale": args.locale, "admin": {"name": args.admin_name, "email": args.admin_email}})
    else:
        answer = requests.post(f"{url}/api/v1/accounts/{args.account_id}/{args.command}",
                               headers=headers, timeout=30)
    print(json.dumps(answer.json(), ensure_ascii=False, indent=2))
    return 0 if answer.ok else 1


if __name__ == "__main__":
    sys.exit(main())
