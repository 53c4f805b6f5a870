// Command byline is the Byline news platform: one binary that serves the
// paper, runs the newsroom, and manages its data.
package main

import (
	"context"
	"os"

	"byline/internal/cli"
)

func main() {
	os.Exit(cli.Run(context.Background(), cli.Env{
		Args: os.Args[1:], Getenv: os.Getenv, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
	}))
}
