/**
 * A program of your own — its own resources, its own config — that adds two service databases
 * with servicedb's components, installed from the package (`npm install servicedb`). No
 * servicedb stack config: the components take their arguments in code.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { PostgresServer, ServiceDatabase } from "servicedb";

const config = new pulumi.Config();

// Some resource of the team's own program.
const release = new random.RandomPet("release", { length: 2 });

// An existing PostgreSQL server, one provider for every database on it.
const server = new PostgresServer("shared", {
    host: config.get("dbHost") ?? "127.0.0.1",
    port: config.getNumber("dbPort") ?? 5432,
    sslmode: config.get("sslmode") ?? "disable",
    adminPassword: config.getSecret("dbAdminPassword"),
});

// Two services, each its own database, role and password; orders with its migrations.
const orders = new ServiceDatabase("orders", {
    server,
    connectionLimit: 20,
    migrations: path.join(__dirname, "migrations", "orders"),
});
const billing = new ServiceDatabase("billing", {
    server,
    connectionLimit: 5,
    extensions: ["pgcrypto"],
    // The second service waits for the first: one catalog writer at a time on a small server.
    after: orders.tail,
});

export const releaseName = release.id;
export const ordersDatabase = orders.database;
export const billingDatabase = billing.database;
/** Secrets: what each service connects with. */
export const ordersUrl = orders.url;
export const billingUrl = billing.url;
