// Stand-in for `supports-color`, which `debug` requires inside a try only when it is installed. It is a dev-only
// package here, so without this the bundles would differ between a full and a production install. Agent logs
// are not a colour terminal anyway.
module.exports = {};
