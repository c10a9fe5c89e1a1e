// all goroutines asleep: go run deadlock.go
package main

func main() {
	events := make(chan int)
	<-events
}
