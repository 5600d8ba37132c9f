'use strict';
// Test fixture: fails while it is being loaded, before any lifecycle function exists.
throw new Error('bad-load-node refuses to load');
