// go build go_oom_big.go && ./go_oom_big: one 40 GiB slice; the kernel's overcommit heuristic
// refuses the runtime's mmap (the machine has 24 GiB), so nothing is actually allocated.
package main

import "fmt"

func main() {
	b := make([]byte, 40<<30)
	b[0] = 1
	fmt.Println(len(b))
}
