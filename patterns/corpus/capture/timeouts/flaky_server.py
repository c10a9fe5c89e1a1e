# Loopback HTTP server on 18086: the first request of each pair stalls 5 s, the next answers at once.
# Stops itself after 5 minutes.
import socket, threading, time
n = [0]
def h(c, slow):
    try:
        c.recv(65536)
        if slow: time.sleep(5)
        c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"); c.close()
    except Exception: pass
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 18086)); s.listen(16); s.settimeout(300)
end = time.time() + 300
while time.time() < end:
    try: c, _ = s.accept()
    except socket.timeout: break
    n[0] += 1
    threading.Thread(target=h, args=(c, n[0] % 2 == 1), daemon=True).start()
