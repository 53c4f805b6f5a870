# Byline's everyday commands. Each target is one line you could type.
.PHONY: build test lint bench load run ci tools

build:  ## build the byline binary
	go build -o byline ./cmd/byline

test:   ## run every test (browser tests skip without chromium; see docs)
	go test ./...

lint:   ## vet and staticcheck, as CI runs them
	go vet ./... && go tool staticcheck ./...

bench:  ## Go benchmarks of the reader pages (first run generates a 20,000-article archive)
	go test ./internal/site/ -run '^$$' -bench . -benchmem

load:   ## load test against a 100,000-article archive with wrk and nginx (see bench/README.md)
	bench/load.sh

run:    ## serve the demo paper on http://127.0.0.1:8080, with the local comment sign-in (as README's "Try it")
	go run ./cmd/byline serve --demo --dev-login --data ./data

tools:  ## install the npm test tools (axe-core, vnu.jar) under tools/node_modules
	npm ci --prefix tools

ci:     ## the whole CI run
	.ci/run
