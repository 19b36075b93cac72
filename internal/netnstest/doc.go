// Package netnstest gives tests fresh network namespaces on a real Linux
// kernel, and the links and addresses in them, for the namespace tests of
// platform and resolve. Only tests import it.
package netnstest
