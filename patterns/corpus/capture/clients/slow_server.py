"""Local slow HTTP server (loopback only) for client timeout captures.
/slow sleeps SLOW seconds; /ok answers at once. Also a 'black hole' listener
whose accept backlog is kept full so further connects time out."""
import http.server, socketserver, socket, sys, threading, time

class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.startswith("/slow"):
            time.sleep(float(self.path.split("=")[-1]) if "=" in self.path else 3)
        try:
            self.send_response(200); self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "11"); self.end_headers(); self.wfile.write(b'{"ok":true}')
        except OSError:
            pass
    def log_message(self, *a):
        pass

class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

def start(port=0):
    srv = S(("127.0.0.1", port), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv

def black_hole():
    """a listener that never accepts; its backlog is filled so new SYNs are dropped"""
    ls = socket.socket(); ls.bind(("127.0.0.1", 0)); ls.listen(0)
    port = ls.getsockname()[1]
    fill = []
    for _ in range(4):
        s = socket.socket(); s.setblocking(False)
        try:
            s.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        fill.append(s)
    time.sleep(0.2)
    return ls, fill, port

if __name__ == "__main__":
    if sys.argv[1] == "--black-hole":          # print the port, keep it full until stdin closes
        ls, fill, port = black_hole()
        print(port, flush=True)
        sys.stdin.read()
    else:
        srv = start(int(sys.argv[1]))
        print("listening", srv.server_address, flush=True)
        while True:
            time.sleep(3600)
