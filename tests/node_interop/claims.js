// supertokens-node's side of tests/test_claims_interop_node.py.
//
// Usage: node claims.js <core url> <operation> <JSON argument>; prints one JSON answer.
// Each run initialises the SDK against the given core and does one operation with the claims
// "st-adm" (BooleanClaim) and "st-role" (PrimitiveArrayClaim).
"use strict";

const supertokens = require("supertokens-node");
const Session = require("supertokens-node/recipe/session");
const { BooleanClaim, PrimitiveArrayClaim } = require("supertokens-node/recipe/session/claims");

const [coreUrl, operation, rawArgument] = process.argv.slice(2);
const argument = JSON.parse(rawArgument || "{}");

supertokens.init({
    supertokens: { connectionURI: coreUrl },
    appInfo: { appName: "interop", apiDomain: "http://localhost:8000", websiteDomain: "http://localhost:3000" },
    recipeList: [Session.init({ antiCsrf: "NONE" })],
    telemetry: false,
});

const IsAdmin = new BooleanClaim({ key: "st-adm", fetchValue: () => undefined });
const Roles = new PrimitiveArrayClaim({ key: "st-role", fetchValue: () => undefined });

function validatorsFrom(specs) {
    // ["isTrue", maxAge] | ["isFalse", maxAge] | ["includes", value] | ["excludesAll", values]
    return specs.map(([name, value]) => {
        switch (name) {
            case "isTrue":
                return IsAdmin.validators.isTrue(value === null ? undefined : value);
            case "isFalse":
                return IsAdmin.validators.isFalse(value === null ? undefined : value);
            case "includes":
                return Roles.validators.includes(value);
            case "excludesAll":
                return Roles.validators.excludesAll(value);
            default:
                throw new Error(`unknown validator ${name}`);
        }
    });
}

async function verify(accessToken) {
    return Session.getSessionWithoutRequestResponse(accessToken, undefined, { antiCsrfCheck: false });
}

const operations = {
    async create({ userId, isAdmin, roles }) {
        const session = await Session.createNewSessionWithoutRequestResponse(
            "public",
            supertokens.convertToRecipeUserId(userId)
        );
        await session.setClaimValue(IsAdmin, isAdmin);
        await session.setClaimValue(Roles, roles);
        return { accessToken: session.getAccessToken(), handle: session.getHandle() };
    },
    async read({ accessToken }) {
        const session = await verify(accessToken);
        return {
            isAdmin: (await session.getClaimValue(IsAdmin)) ?? null,
            roles: (await session.getClaimValue(Roles)) ?? null,
            payload: session.getAccessTokenPayload(),
        };
    },
    async assert({ accessToken, validators }) {
        const session = await verify(accessToken);
        try {
            await session.assertClaims(validatorsFrom(validators));
        } catch (error) {
            if (Session.Error.isErrorFromSuperTokens(error) && error.type === Session.Error.INVALID_CLAIMS) {
                return { valid: false, claimValidationErrors: JSON.parse(JSON.stringify(error.payload)) };
            }
            throw error;
        }
        return { valid: true, updated: session.getAllSessionTokensDangerously().accessAndFrontTokenUpdated };
    },
    async setByHandle({ handle, isAdmin, roles }) {
        return {
            isAdmin: await Session.setClaimValue(handle, IsAdmin, isAdmin),
            roles: await Session.setClaimValue(handle, Roles, roles),
        };
    },
    async getByHandle({ handle }) {
        const isAdmin = await Session.getClaimValue(handle, IsAdmin);
        const roles = await Session.getClaimValue(handle, Roles);
        return { status: isAdmin.status, isAdmin: isAdmin.value ?? null, roles: roles.value ?? null };
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
