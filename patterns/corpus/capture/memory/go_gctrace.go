// GODEBUG=gctrace=1 ./go_gctrace : a healthy program's gc trace lines.
package main

import "fmt"

var sink []byte

func main() {
	total := 0
	for i := 0; i < 200000; i++ {
		sink = make([]byte, 1024)
		total += len(sink)
	}
	fmt.Println(total)
}
