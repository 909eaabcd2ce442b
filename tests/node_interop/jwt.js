// supertokens-node's side of tests/test_jwt_interop_node.py.
//
// Usage: node jwt.js <core url> <operation> <JSON argument>; prints one JSON answer.
// Each run initialises the SDK against the given core (API at http://localhost:8000, base path
// /auth) and does one operation of its session recipe's JWT functions.
"use strict";

const supertokens = require("supertokens-node");
const Session = require("supertokens-node/recipe/session");

const [coreUrl, operation, rawArgument] = process.argv.slice(2);
const argument = JSON.parse(rawArgument || "{}");

supertokens.init({
    supertokens: { connectionURI: coreUrl },
    appInfo: { appName: "interop", apiDomain: "http://localhost:8000", websiteDomain: "http://localhost:3000" },
    recipeList: [Session.init({ antiCsrf: "NONE" })],
    telemetry: false,
});

const operations = {
    async createJWT({ payload, validitySeconds, useStaticSigningKey }) {
        // null in the JSON argument stands for "not given".
        return Session.createJWT(payload, validitySeconds ?? undefined, useStaticSigningKey ?? undefined);
    },
    async discovery() {
        return Session.getOpenIdDiscoveryConfiguration();
    },
};

operations[operation](argument).then(
    (answer) => {
        process.stdout.write(JSON.stringify(answer));
        process.exit(0);
    },
    (error) => {
        process.stderr.write(String((error && error.stack) || error));
        process.exit(1);
    }
);
