package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// healthcheck is the "emulator healthcheck [URL]" subcommand for container
// healthchecks (the image has no curl): it GETs /readyz and fails unless the
// emulator answers 200. Without a URL it asks the local emulator on the port
// of EMULATOR_HTTP_ADDR (8090 by default).
func healthcheck(args []string, getenv func(string) string, out io.Writer) error {
	url := ""
	if len(args) > 0 {
		url = args[0]
	} else {
		port := "8090"
		if addr := getenv("EMULATOR_HTTP_ADDR"); addr != "" {
			if _, p, err := net.SplitHostPort(addr); err == nil {
				port = p
			}
		}
		url = "http://127.0.0.1:" + port + "/readyz"
	}
	cl := &http.Client{Timeout: 5 * time.Second}
	resp, err := cl.Get(url)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	fmt.Fprintf(out, "%s\n", body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %d", url, resp.StatusCode)
	}
	return nil
}
