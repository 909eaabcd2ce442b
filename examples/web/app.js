// The page's logic. ?api=<API origin>&mode=cookie|header choose the backend and the SDK's
// tokenTransferMethod. window.demo is what a person's clicks call, and what tests/browser drives.
"use strict";

const params = new URLSearchParams(window.location.search);
const apiDomain = params.get("api") || "http://127.0.0.1:8000";
const tokenTransferMethod = params.get("mode") || "cookie";

supertokens.init({
  appInfo: { appName: "authclient example", apiDomain, apiBasePath: "/auth" },
  recipeList: [supertokensSession.init({ tokenTransferMethod })],
});

// fetch is the SDK's interceptor now: it adds the tokens, refreshes on 401 and retries.
async function post(path, body) {
  const init = { method: "POST" };
  if (body !== undefined) {
    init.headers = { "Content-Type": "application/json" };
    init.body = JSON.stringify(body);
  }
  const response = await fetch(apiDomain + path, init);
  const text = await response.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch (_) {
    json = null;
  }
  return { status: response.status, body: json };
}

async function show(promise) {
  const result = await promise;
  document.getElementById("out").textContent = JSON.stringify(result, null, 2);
  document.getElementById("exists").textContent = String(await supertokensSession.doesSessionExist());
  return result;
}

window.demo = {
  login: (userId) => show(post("/login", { userId })),
  updateinfo: () => show(post("/updateinfo")),
  signOut: () => show(supertokensSession.signOut().then(() => ({ signedOut: true }))),
  sessionExists: () => supertokensSession.doesSessionExist(),
};

document.getElementById("api").textContent = apiDomain;
document.getElementById("mode").textContent = tokenTransferMethod;
document.getElementById("login").onclick = () =>
  window.demo.login(document.getElementById("user").value);
document.getElementById("updateinfo").onclick = () => window.demo.updateinfo();
document.getElementById("signout").onclick = () => window.demo.signOut();
supertokensSession.doesSessionExist().then((exists) => {
  document.getElementById("exists").textContent = String(exists);
});
