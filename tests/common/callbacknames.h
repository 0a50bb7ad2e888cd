#pragma once
// Test helper: a script whose callbacks node hides behind functions of its own — promise
// reactions (then, catch, finally), an fs request, a crypto job and a socket's close callback —
// each with a named function that prints one line. The tests check that the card of the callback
// that printed a line carries the name in kCallbackNames, in free runs, step mode and saved files.

#include <utility>

namespace Loopscope::Test {

inline constexpr char kCallbackNamesScript[] =
    "const fs = require('fs');\n"
    "const net = require('net');\n"
    "const crypto = require('crypto');\n"
    "Promise.resolve(1).then(function onValue() { console.log('then'); });\n"
    "Promise.reject(new Error('no')).catch(function onError() { console.log('catch'); });\n"
    "Promise.resolve().finally(function onFinally() { console.log('finally'); });\n"
    "fs.stat(__filename, function onStat() { console.log('stat'); });\n"
    "crypto.pbkdf2('secret', 'salt', 1, 16, 'sha256', function onKey() { console.log('key'); });\n"
    "const server = net.createServer((socket) => socket.destroy());\n"
    "server.listen(0, '127.0.0.1', () => {\n"
    "  const client = net.connect(server.address().port, '127.0.0.1', () => client.destroy());\n"
    "  client.on('close', function onSocketClosed() {\n"
    "    console.log('closed');\n"
    "    server.close();\n"
    "  });\n"
    "});\n";

// The line each callback prints, and the name its card must show.
inline constexpr std::pair<const char *, const char *> kCallbackNames[] = {
    {"then", "onValue"}, {"catch", "onError"}, {"finally", "onFinally"}, {"stat", "onStat"},
    {"key", "onKey"},    {"closed", "onSocketClosed"},
};

} // namespace Loopscope::Test
