// nil pointer dereference: go run nilderef.go
package main

import "fmt"

type Projection struct{ Name string; Position int64 }

func lookup(m map[string]*Projection, name string) *Projection { return m[name] }

func main() {
	p := lookup(map[string]*Projection{}, "orders")
	fmt.Println(p.Position)
}
