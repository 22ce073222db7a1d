#!/usr/bin/env python3
"""The Python side of the Swift <-> Python interop test (HGXInteropTests).

An unmodified hgx 0.1.0 app on one daemon talks to a Swift HGX app on another, with JSON objects both ways:

* Python -> Swift: creates a JsonObj (P1), shares it with the Swift app, and once the Swift app says it read
  it (file `got-p1`), pushes P2; once it says it saw that (`got-p2`), deletes the object.
* Swift -> Python: receives the Swift app's object, checks that its bytes are exactly what
  `json.dumps(state, separators=(',', ':'))` makes of its state and that the state is the expected one, answers
  with a reply object `{"echo": state, "from": "python"}`, mirrors every update into the reply, and deletes the
  reply when the Swift object is deleted.

Coordination is through files in --dir: this script writes `ready.json` (its fingerprint) once its share handler
is registered. It prints one JSON line per event and exits 0 after every check passed, 1 on a failed check,
3 on its watchdog timeout.
"""
import argparse
import hashlib
import json
import math
import os
import queue
import sys
import threading
import time
import traceback

import hgx
from golix import Ghid
from hgx.utils import ApiID


def named_api(name):
    """HGX's ApiID.named(name): the SHA-512 of the name."""
    return ApiID(hashlib.sha512(name.encode('utf-8')).digest())


SWIFT_TO_PYTHON = named_api('hgx.interop.swift-to-python')
PYTHON_REPLY = named_api('hgx.interop.python-reply')
PYTHON_TO_SWIFT = named_api('hgx.interop.python-to-swift')

# What the Swift app writes first (plus "nan": NaN, checked separately because NaN != NaN).
EXPECTED_S1 = {
    'text': 'h\u00e9llo w\u00f6rld \u2713 \U0001F600',
    'n': 42,
    'big': 123456789012345678901234567890,
    'pi': 3.141592653589793,
    'tiny': 1e-07,
    'list': [1, 2.5, True, False, None, 'x'],
    'nested': {'a': {'b': []}},
    'esc': 'quote" backslash\\ nl\n tab\t ctrl\u0001 del\u007f',
    'inf': float('inf'),
    'round': 1,
}
EXPECTED_S2 = {'round': 2, 'text': 'second \u00e9'}

# What this app writes: keys deliberately unsorted, floats and integers Swift must keep exactly.
P1 = {
    'z': 'last key first',
    'a': [1, 2.0, -0.0, 1e+100, 5e-324, 0.1],
    'unicode': '\u00fc\u2603\U0001F680',
    'big': -98765432109876543210,
    'nan': float('nan'),
    'ninf': float('-inf'),
    'nested': {'k': None, 't': True},
}
P2 = {'round': 2, 'text': 'from python \u2713'}

events = queue.Queue()


def say(kind, **details):
    print(json.dumps(dict(event=kind, **details), sort_keys=True), flush=True)


def wait_for(path, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path):
            return True
        time.sleep(0.02)
    return False


def next_event(kind, timeout):
    """The next event of this kind; other kinds are reported and skipped, errors fail."""
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError('timed out waiting for ' + kind)
        try:
            got, payload = events.get(timeout=remaining)
        except queue.Empty:
            raise AssertionError('timed out waiting for ' + kind)
        if got == 'error':
            raise AssertionError(payload)
        if got == kind:
            return payload
        say('skipped', kind=got)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--port', type=int, required=True, help="this app's daemon IPC port")
    parser.add_argument('--peer', required=True, help="the Swift app's fingerprint")
    parser.add_argument('--dir', required=True, help='coordination directory')
    parser.add_argument('--timeout', type=float, default=60, help='seconds per wait')
    parser.add_argument('--watchdog', type=float, default=240, help='seconds for everything')
    args = parser.parse_args()

    def watchdog():
        time.sleep(args.watchdog)
        say('fail', reason='watchdog timeout')
        os._exit(3)

    threading.Thread(target=watchdog, daemon=True).start()

    peer = Ghid.from_str(args.peer)
    link = hgx.HGXLink(ipc_port=args.port)
    held = {}

    async def on_request(ghid, origin, api_id):
        try:
            raw = await link.get(hgx.Obj, ghid)
            raw_bytes = raw.state
            request = await raw.recast(hgx.JsonObj)
            state = request.state
            rewritten = json.dumps(state, separators=(',', ':')).encode('utf-8')
            events.put(('s1', dict(
                origin=origin.as_str(), api_ok=(api_id == SWIFT_TO_PYTHON), binder=request.binder.as_str(),
                bytes_identical=(rewritten == raw_bytes), raw=raw_bytes.decode('ascii', 'replace'), state=state)))
            reply = await link.new(hgx.JsonObj, state={'echo': state, 'from': 'python'}, api_id=PYTHON_REPLY)
            held['request'] = request
            held['reply'] = reply

            async def on_update(updated):
                try:
                    if not updated.isalive:
                        await reply.delete()
                        events.put(('s-deleted', None))
                        return
                    events.put(('s-updated', updated.state))
                    reply.state = {'echo': updated.state, 'from': 'python'}
                    await reply.push()
                except Exception:
                    events.put(('error', traceback.format_exc()))

            request.callback = on_update
            await reply.share(origin)
        except Exception:
            events.put(('error', traceback.format_exc()))

    failures = []

    def check(condition, what):
        say('check', what=what, ok=bool(condition))
        if not condition:
            failures.append(what)

    try:
        link.register_share_handler_threadsafe(SWIFT_TO_PYTHON, on_request)
        whoami = link.whoami.as_str()
        with open(os.path.join(args.dir, 'ready.json.tmp'), 'w') as f:
            json.dump({'fingerprint': whoami}, f)
        os.rename(os.path.join(args.dir, 'ready.json.tmp'), os.path.join(args.dir, 'ready.json'))
        say('ready', fingerprint=whoami)

        # Python -> Swift.
        ours = link.new_threadsafe(cls=hgx.JsonObj, state=P1, api_id=PYTHON_TO_SWIFT)
        ours.share_threadsafe(peer)
        say('p1-shared', ghid=ours.ghid.as_str())
        check(wait_for(os.path.join(args.dir, 'got-p1'), args.timeout), 'the Swift app read P1')
        ours.state = P2
        ours.push_threadsafe()
        say('p2-pushed')
        check(wait_for(os.path.join(args.dir, 'got-p2'), args.timeout), 'the Swift app saw P2')
        ours.delete_threadsafe()
        say('p-deleted')

        # Swift -> Python.
        s1 = next_event('s1', args.timeout)
        state = s1.pop('state')
        say('s1-received', **s1)
        check(s1['bytes_identical'], "Swift's JSON bytes are json.dumps(state, separators=(',', ':')) of its state")
        check(s1['api_ok'], 'the share arrived under the Swift app\'s API id')
        check(s1['origin'] == args.peer, 'the share came from the Swift app')
        check(s1['binder'] == args.peer, 'the Swift app bound the object')
        nan = state.pop('nan', None)
        check(isinstance(nan, float) and math.isnan(nan), 'NaN arrived as a float NaN')
        check(state == EXPECTED_S1, 'the state is what the Swift app wrote: ' + repr(state))
        check(list(state.keys())[:3] == ['text', 'n', 'big'], 'key order kept')
        s2 = next_event('s-updated', args.timeout)
        check(s2 == EXPECTED_S2, 'the update is what the Swift app pushed: ' + repr(s2))
        next_event('s-deleted', args.timeout)
        say('s-deleted-and-reply-deleted')
    except AssertionError as exc:
        failures.append(str(exc))
    except Exception:
        failures.append(traceback.format_exc())

    try:
        link.stop_threadsafe()
    except Exception:
        pass
    if failures:
        say('fail', reasons=failures)
        sys.stdout.flush()
        os._exit(1)
    say('pass')
    sys.stdout.flush()
    # The link's executor threads are not daemon threads; leave without waiting for them.
    os._exit(0)


if __name__ == '__main__':
    main()
