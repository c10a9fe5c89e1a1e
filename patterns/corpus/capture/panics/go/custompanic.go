// explicit panic with an error value, re-panicked after a deferred recover
package main

import (
	"errors"
	"fmt"
)

func handle() {
	defer func() {
		if r := recover(); r != nil {
			panic(r)
		}
	}()
	panic(fmt.Errorf("apply event 1842 to order-42: %w", errors.New("unknown event type OrderShipped")))
}

func main() { handle() }
