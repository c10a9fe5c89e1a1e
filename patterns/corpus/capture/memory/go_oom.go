// go build go_oom.go && (ulimit -v 1000000; ./go_oom): the Go runtime's out-of-memory throw.
package main

import "fmt"

func main() {
	var keep [][]byte
	for i := 0; ; i++ {
		b := make([]byte, 256<<20)
		b[0] = 1
		keep = append(keep, b)
		fmt.Println("allocated", len(keep)*256, "MiB")
	}
}
