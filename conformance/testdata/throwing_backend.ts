// A backend module whose import throws, for the isolation tests.
throw new Error("this backend fails to load on purpose");
