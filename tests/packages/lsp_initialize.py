"""Starts a command as a language server over stdio, sends `initialize`, and
checks the answer: a result with capabilities and serverInfo naming
skill-lsp at the expected version. Then `shutdown` and `exit`, and the server
must end with status 0.

Usage: python3 lsp_initialize.py VERSION COMMAND [ARGS...]
"""

import json
import subprocess
import sys


def send(proc, message):
    body = json.dumps(message).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()


def receive(proc):
    length = None
    while True:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit("the server closed its output before answering")
        line = line.strip()
        if not line:
            break
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    return json.loads(proc.stdout.read(length))


def answer(proc, request_id):
    # Skip the server's own requests and notifications (log messages).
    while True:
        message = receive(proc)
        if message.get("id") == request_id and "method" not in message:
            return message


def main():
    version, command = sys.argv[1], sys.argv[2:]
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        send(proc, {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                    "params": {"processId": None, "rootUri": None, "capabilities": {}}})
        result = answer(proc, 1).get("result") or {}
        info = result.get("serverInfo") or {}
        if info.get("name") != "skill-lsp" or info.get("version") != version:
            raise SystemExit(f"serverInfo is {info!r}, not skill-lsp {version}")
        if not result.get("capabilities", {}).get("textDocumentSync"):
            raise SystemExit(f"no textDocumentSync in the capabilities: {result!r}")
        send(proc, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
        send(proc, {"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
        answer(proc, 2)
        send(proc, {"jsonrpc": "2.0", "method": "exit"})
        proc.stdin.close()
        status = proc.wait(timeout=30)
        if status != 0:
            raise SystemExit(f"the server exited with status {status} after shutdown and exit")
    finally:
        if proc.poll() is None:
            proc.kill()
    print(f"initialize answered: {info['name']} {info['version']}")


if __name__ == "__main__":
    main()
