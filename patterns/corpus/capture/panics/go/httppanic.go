// net/http recovers a handler panic and logs "http: panic serving ..." (process keeps running)
package main

import (
	"net"
	"net/http"
	"os"
	"time"
)

func main() {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]int
		m["orders"]++
	}))
	http.Get("http://" + ln.Addr().String() + "/projections/orders")
	time.Sleep(200 * time.Millisecond)
	os.Stderr.WriteString("still serving\n")
}
