// index out of range in a goroutine
package main

import (
	"os"
	"time"
)

func main() {
	streams := []string{"a", "b", "c"}
	go func() { _ = streams[len(os.Args)+4] }()
	time.Sleep(time.Second)
}
