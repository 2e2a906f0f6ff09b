"""Log in to a running fazhi through the real login form and open the home page.

    python3 .ci/login_check.py http://127.0.0.1:8190 [--wait SECONDS] [--pid PID]

Waits until the server answers (giving up early if process PID has exited), fetches the login
page, posts the form with its CSRF token as a demo operator, follows the redirect to the home page
and checks that it answers 200 in Chinese and the user is logged in. Exit 0 on success, 1 with the
reason otherwise. Standard library only: it runs before and without the project's virtualenv.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

USERNAME = "sizhuang_operator"
PASSWORD = "fazhi-demo-2025"  # noqa: S105  (the public demo password)
HAN = re.compile(r"[\u4e00-\u9fff]")


def fail(message: str) -> None:
    print(f"fresh-clone check FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def alive(pid: int | None) -> bool:
    if pid is None:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--wait", type=float, default=1800)
    parser.add_argument("--pid", type=int)
    args = parser.parse_args()
    base = args.base.rstrip("/")
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    deadline = time.monotonic() + args.wait
    login_url = f"{base}/accounts/login/"
    while True:
        try:
            with opener.open(login_url, timeout=30) as response:
                login_page = response.read().decode("utf-8")
                status = response.status
            break
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            if not alive(args.pid):
                fail(f"the server process exited before answering ({exc})")
            if time.monotonic() > deadline:
                fail(f"no answer from {login_url} within {args.wait:.0f} s ({exc})")
            time.sleep(2)
    if status != 200:
        fail(f"login page answered {status}")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page)
    if not token:
        fail("the login page has no CSRF token")
    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token.group(1),
            "username": USERNAME,
            "password": PASSWORD,
            "next": "/",
        }
    ).encode()
    request = urllib.request.Request(login_url, data=form, headers={"Referer": login_url})  # noqa: S310
    try:
        with opener.open(request, timeout=60) as response:
            final_url, status = response.geturl(), response.status
    except urllib.error.HTTPError as exc:
        fail(f"posting the login form answered {exc.code}")
    if "/accounts/login/" in final_url:
        fail(f"login as {USERNAME} was refused (still on {final_url})")
    try:
        with opener.open(f"{base}/", timeout=60) as response:
            status, home = response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        fail(f"home page answered {exc.code}")
    if status != 200:
        fail(f"home page answered {status}")
    if len(HAN.findall(home)) < 20:
        fail("the home page has (almost) no Chinese text")
    if "退出" not in home and "logout" not in home:
        fail("the home page does not show a logged-in user")
    print(f"fresh-clone check passed: logged in as {USERNAME}, home page 200 in Chinese")


if __name__ == "__main__":
    main()
