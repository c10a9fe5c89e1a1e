// concurrent map writes: go run mapwrites.go
package main

import "sync"

func main() {
	m := map[int]int{}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 1000000; i++ {
				m[i%1024] = g
			}
		}(g)
	}
	wg.Wait()
}
