// Captures real Go net/http and net timeout errors against loopback servers
// (slow HTTP 18081, body stall 18084, full accept queue 18085, silent TCP 18083).
package main

import (
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"time"
)

func main() {
	report := func(name string, err error) {
		if err == nil {
			log.Printf("%s ok", name)
			return
		}
		log.Printf("%s: %v", name, err)
	}
	c := &http.Client{Timeout: time.Second}
	_, err := c.Get("http://127.0.0.1:18081/v1/balance")
	report("client_timeout", err)
	resp, err := c.Get("http://127.0.0.1:18084/export.csv")
	if err == nil {
		_, err = io.ReadAll(resp.Body)
	}
	report("client_timeout_body", err)
	ctx, cancel := context.WithTimeout(context.Background(), 800*time.Millisecond)
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://127.0.0.1:18081/v1/balance", nil)
	_, err = http.DefaultClient.Do(req)
	cancel()
	report("ctx_timeout", err)
	tr := &http.Transport{ResponseHeaderTimeout: 700 * time.Millisecond}
	_, err = (&http.Client{Transport: tr}).Get("http://127.0.0.1:18081/v1/balance")
	report("response_header_timeout", err)
	conn, err := net.Dial("tcp", "127.0.0.1:18083")
	if err == nil {
		conn.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
		_, err = conn.Read(make([]byte, 16))
	}
	report("read_deadline", err)
	_, err = net.DialTimeout("tcp", "127.0.0.1:18085", 700*time.Millisecond)
	report("dial_timeout", err)
	_, err = (&http.Client{Timeout: 700 * time.Millisecond}).Get("http://127.0.0.1:18085/v1/ledger")
	report("client_timeout_dial", err)
	ok, err := (&http.Client{Timeout: 5 * time.Second}).Get("http://127.0.0.1:18082/health")
	if err == nil {
		ok.Body.Close()
		log.Printf("health check passed: status=%d timeout=5s", ok.StatusCode)
	}
}
