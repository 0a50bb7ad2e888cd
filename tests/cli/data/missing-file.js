require('./nonexistent-module-for-test');
