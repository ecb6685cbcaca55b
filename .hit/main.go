package main

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
)

func main() {
	addr, path := os.Args[1], os.Args[2]
	hc := &fasthttp.HostClient{Addr: addr, MaxConns: 64}
	var n atomic.Int64
	deadline := time.Now().Add(4 * time.Second)
	var wg sync.WaitGroup
	t0 := time.Now()
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
			for time.Now().Before(deadline) {
				req.Reset()
				req.SetRequestURI("http://" + addr + path)
				if err := hc.Do(req, resp); err != nil || resp.StatusCode() != 200 {
					panic(fmt.Sprint(err, resp.StatusCode()))
				}
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	fmt.Printf("%s %.0f/s\n", path, float64(n.Load())/time.Since(t0).Seconds())
}
