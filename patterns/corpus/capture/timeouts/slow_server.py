# Loopback-only slow servers for timeout captures; stops by itself after 20 minutes.
import socket, threading, time, sys
def http_slow(port, delay):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port)); s.listen(64)
    def h(c):
        try:
            c.recv(65536); time.sleep(delay)
            c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"); c.close()
        except Exception: pass
    while True:
        c, _ = s.accept(); threading.Thread(target=h, args=(c,), daemon=True).start()
def silent(port):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port)); s.listen(64)
    conns = []
    while True:
        c, _ = s.accept(); conns.append(c)
threading.Thread(target=http_slow, args=(18081, 30), daemon=True).start()
threading.Thread(target=http_slow, args=(18082, 0.01), daemon=True).start()
threading.Thread(target=silent, args=(18083,), daemon=True).start()
time.sleep(1200)
