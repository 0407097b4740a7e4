// A Go program that declares service databases with servicedb's components: a standalone
// ServiceDatabase on an existing server, and a small Platform (the stack config's shapes) whose
// two services share one cluster. The SDK comes from `pulumi package add ../../provider`.
package main

import (
	"example.com/pulumi-servicedb/sdk/go/servicedb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		host := cfg.Get("dbHost")
		if host == "" {
			host = "127.0.0.1"
		}
		prefix := cfg.Get("prefix") // keeps database names apart when several stacks share a server
		if prefix == "" {
			prefix = "go"
		}

		// One service's database on an existing server.
		ledger, err := servicedb.NewServiceDatabase(ctx, prefix+"-ledger", &servicedb.ServiceDatabaseArgs{
			Server:          &servicedb.ServerArgs{Host: host, Sslmode: pulumi.StringRef("disable")},
			ConnectionLimit: pulumi.Float64Ref(5),
			Extensions:      []string{"pgcrypto"},
		})
		if err != nil {
			return err
		}

		// Two services sharing one cluster, as a stack's servicedb config would declare them.
		platform, err := servicedb.NewPlatform(ctx, prefix+"-platform", &servicedb.PlatformArgs{
			Clusters: map[string]servicedb.ServerArgs{
				"main": {Host: host, Sslmode: pulumi.StringRef("disable"), MaxConnections: pulumi.Float64Ref(100)},
			},
			Services: map[string]servicedb.ServiceInput{
				prefix + "-orders":   servicedb.ServiceArgs{Cluster: pulumi.StringRef("main"), ConnectionLimit: pulumi.Float64Ref(10)},
				prefix + "-payments": servicedb.ServiceArgs{Cluster: pulumi.StringRef("main"), ConnectionLimit: pulumi.Float64Ref(5), Readers: pulumi.BoolRef(true)},
			},
		})
		if err != nil {
			return err
		}

		ctx.Export("ledgerDatabase", ledger.Database)
		ctx.Export("ledgerUrl", ledger.Url)         // a secret
		ctx.Export("databases", platform.Databases) // a secret
		return nil
	})
}
