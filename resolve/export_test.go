package resolve

// IsPublic exposes isPublic to the external tests.
var IsPublic = isPublic
