package linkemu_test

import (
	"context"
	"fmt"
	"log"

	"github.com/linkemu/linkemu/testcontainers/linkemu"
	"github.com/testcontainers/testcontainers-go"
)

// Run linkemu in Docker with three embedded clusters and an API key, and
// read where its REST API and clusters are. The image is the repository's
// (make docker builds linkemu:dev). This example needs a Docker engine, so
// it is compiled but not run by go test.
func ExampleRun() {
	ctx := context.Background()
	ctr, err := linkemu.Run(ctx, "linkemu:dev",
		linkemu.WithClusters("lkc-prod", "lkc-dr", "lkc-analytics"),
		linkemu.WithAPIKey("my-key", "my-secret"),
	)
	defer func() {
		if err := testcontainers.TerminateContainer(ctr); err != nil {
			log.Printf("terminate linkemu: %v", err)
		}
	}()
	if err != nil {
		log.Printf("run linkemu: %v", err)
		return
	}

	restURL, err := ctr.RESTURL(ctx)
	if err != nil {
		log.Printf("REST URL: %v", err)
		return
	}
	fmt.Println("REST API:", restURL+"/kafka/v3")
	for _, c := range ctr.Clusters() {
		fmt.Println(c.ID, "at", c.Bootstrap)
	}
}
