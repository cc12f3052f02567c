#!/usr/bin/env python3
"""Latency floor probe, no JVM on the client side: one keep-alive connection, one request at a time
at a fixed rate (closed loop), latency of each round trip. Tells the tail of what is probed apart
from the load generator's own (bench/RESULTS.md, "The instrument's own tail").

  bench/latency-probe.py tcp RATE SECONDS                      # bare loopback TCP echo (the machine's floor)
  bench/latency-probe.py http PORT PATH KEY RATE SECONDS       # POST the bench's chat body to PORT+PATH

e.g. the simulator: http 18299 /openai/v1/chat/completions x 200 20;
a gateway in front of it: http 18380 /v1/chat/completions tg_… 200 20.
"""
import os
import socket
import sys
import time

BODY = b'{"model":"gpt-4o-mini","max_tokens":32,"messages":[{"role":"user","content":"Hello, benchmark"}]}'


def paced(rate, seconds, call):
    interval, n = 1.0 / rate, int(rate * seconds)
    latencies, start = [], time.perf_counter()
    for i in range(n):
        target = start + i * interval
        while (now := time.perf_counter()) < target:
            time.sleep(max(0.0, target - now - 0.0002))
        t = time.perf_counter()
        call()
        latencies.append((time.perf_counter() - t) * 1000)
    latencies.sort()
    return (f"n={n} p50={latencies[n // 2]:.3f}ms p99={latencies[int(n * 0.99)]:.3f}ms "
            f"p99.9={latencies[int(n * 0.999)]:.3f}ms max={latencies[-1]:.3f}ms")


def tcp(rate, seconds):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    if os.fork() == 0:
        conn, _ = server.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        while data := conn.recv(64):
            conn.sendall(data)
        os._exit(0)
    client = socket.create_connection(server.getsockname())
    client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def echo():
        client.sendall(b"x")
        client.recv(64)
    print("tcp echo", paced(rate, seconds, echo))
    client.close()


def http(port, path, key, rate, seconds):
    request = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {key}\r\n"
               f"Content-Type: application/json\r\nContent-Length: {len(BODY)}\r\n\r\n").encode() + BODY
    client = socket.create_connection(("127.0.0.1", port))
    client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def post():
        client.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data:
            data += client.recv(65536)
        head, body = data.split(b"\r\n\r\n", 1)
        if not head.startswith(b"HTTP/1.1 200"):
            sys.exit(f"answer was {head[:80]!r}")
        length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))
        while len(body) < length:
            body += client.recv(65536)
    for _ in range(int(rate * 5)):
        post()  # warm-up
    print(f"http :{port}{path}", paced(rate, seconds, post))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "tcp":
        tcp(float(sys.argv[2]), float(sys.argv[3]))
    elif len(sys.argv) == 7 and sys.argv[1] == "http":
        http(int(sys.argv[2]), sys.argv[3], sys.argv[4], float(sys.argv[5]), float(sys.argv[6]))
    else:
        sys.exit(__doc__)
