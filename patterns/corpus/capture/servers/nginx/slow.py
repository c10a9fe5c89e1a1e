import http.server, socketserver, sys, time, os
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if sys.argv[2] == "close":
            self.close_connection = True; return
        time.sleep(3)
        self.send_response(200); self.send_header("Content-Length", "3"); self.end_headers(); self.wfile.write(b"ok\n")
    def log_message(self, *a): pass
class S(socketserver.ThreadingMixIn, http.server.HTTPServer): daemon_threads = True; allow_reuse_address = True
open(sys.argv[3], "w").write(str(os.getpid()))
S(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
