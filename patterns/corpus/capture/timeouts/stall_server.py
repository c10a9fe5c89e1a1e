# Loopback stalling servers: 18084 sends headers then stalls the body; 18085 has a
# full accept queue (never accepts) so connects hang. Stops itself after 10 minutes.
import socket, threading, time
def body_stall():
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 18084)); s.listen(16); keep = []
    while True:
        c, _ = s.accept(); c.recv(65536)
        c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial"); keep.append(c)
def full_queue():
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 18085)); s.listen(0)
    fill = []
    for _ in range(4):
        f = socket.socket(); f.setblocking(False)
        try: f.connect(("127.0.0.1", 18085))
        except BlockingIOError: pass
        fill.append(f)
    time.sleep(600)
threading.Thread(target=body_stall, daemon=True).start()
threading.Thread(target=full_queue, daemon=True).start()
time.sleep(600)
