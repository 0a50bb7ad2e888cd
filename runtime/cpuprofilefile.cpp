#include "cpuprofilefile.h"

#include "cpuprofile.h"
#include "jsonstring.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace Loopscope::Runtime {

std::string cpuProfileToJson(const CpuProfile &profile)
{
    std::string out;
    out.reserve(profile.nodes.size() * 160 + profile.samples.size() * 12 + 128);
    out += "{\"nodes\":[";
    for (size_t i = 0; i < profile.nodes.size(); ++i) {
        const CpuProfileNode &n = profile.nodes[i];
        if (i)
            out += ',';
        out += "{\"id\":" + std::to_string(n.id) + ",\"callFrame\":{\"functionName\":";
        appendJsonString(out, n.callFrame.functionName);
        out += ",\"scriptId\":\"" + std::to_string(n.callFrame.scriptId) + "\",\"url\":";
        appendJsonString(out, n.callFrame.url);
        out += ",\"lineNumber\":" + std::to_string(n.callFrame.lineNumber)
             + ",\"columnNumber\":" + std::to_string(n.callFrame.columnNumber) + "},\"hitCount\":"
             + std::to_string(n.hitCount);
        if (!n.children.empty()) {
            out += ",\"children\":[";
            for (size_t c = 0; c < n.children.size(); ++c) {
                if (c)
                    out += ',';
                out += std::to_string(n.children[c]);
            }
            out += ']';
        }
        out += '}';
    }
    out += "],\"startTime\":" + std::to_string(profile.startTime) + ",\"endTime\":" + std::to_string(profile.endTime)
         + ",\"samples\":[";
    for (size_t i = 0; i < profile.samples.size(); ++i) {
        if (i)
            out += ',';
        out += std::to_string(profile.samples[i]);
    }
    out += "],\"timeDeltas\":[";
    for (size_t i = 0; i < profile.timeDeltas.size(); ++i) {
        if (i)
            out += ',';
        out += std::to_string(profile.timeDeltas[i]);
    }
    out += "]}";
    return out;
}

bool writeCpuProfile(const CpuProfile &profile, const std::string &path, std::string *error)
{
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    if (!file) {
        if (error)
            *error = "cannot write the CPU profile to " + path;
        return false;
    }
    file << cpuProfileToJson(profile);
    file.close();
    if (!file) {
        if (error)
            *error = "writing the CPU profile to " + path + " failed";
        return false;
    }
    return true;
}

namespace {

// A JSON number that must be a whole number within `int64` (JSON has only doubles).
bool wholeNumber(const QJsonValue &v, std::int64_t *out)
{
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9.0e15)
        return false;
    *out = std::int64_t(d);
    return true;
}

bool intNumber(const QJsonValue &v, int *out)
{
    std::int64_t n = 0;
    if (!wholeNumber(v, &n) || n < INT32_MIN || n > INT32_MAX)
        return false;
    *out = int(n);
    return true;
}

} // namespace

bool cpuProfileFromJson(const std::string &json, CpuProfile &into, std::string *error)
{
    auto fail = [error](const std::string &message) {
        if (error)
            *error = message;
        return false;
    };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromRawData(json.data(), qsizetype(json.size())),
                                                      &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail("not JSON: " + parseError.errorString().toStdString() + " at byte "
                    + std::to_string(parseError.offset));
    if (!doc.isObject())
        return fail("not a CPU profile: the top level is not a JSON object");
    const QJsonObject top = doc.object();
    // Chrome's "Save profile" wraps nothing; DevTools' protocol answer wraps it in {profile: ...}.
    const QJsonObject root = top.contains(QLatin1String("nodes")) || !top.value(QLatin1String("profile")).isObject()
                                 ? top : top.value(QLatin1String("profile")).toObject();
    const QJsonValue nodesValue = root.value(QLatin1String("nodes"));
    if (!nodesValue.isArray())
        return fail("not a CPU profile: \"nodes\" is missing or not an array");

    CpuProfile p;
    const QJsonArray nodes = nodesValue.toArray();
    p.nodes.reserve(size_t(nodes.size()));
    for (qsizetype i = 0; i < nodes.size(); ++i) {
        const std::string where = "nodes[" + std::to_string(i) + "]";
        if (!nodes[i].isObject())
            return fail(where + " is not an object");
        const QJsonObject n = nodes[i].toObject();
        CpuProfileNode node;
        if (!intNumber(n.value(QLatin1String("id")), &node.id))
            return fail(where + ".id is missing or not a whole number");
        const QJsonValue cf = n.value(QLatin1String("callFrame"));
        if (!cf.isObject())
            return fail(where + ".callFrame is missing or not an object");
        const QJsonObject frame = cf.toObject();
        const QJsonValue name = frame.value(QLatin1String("functionName"));
        const QJsonValue url = frame.value(QLatin1String("url"));
        if (!name.isString())
            return fail(where + ".callFrame.functionName is missing or not a string");
        if (!url.isString())
            return fail(where + ".callFrame.url is missing or not a string");
        node.callFrame.functionName = name.toString().toStdString();
        node.callFrame.url = url.toString().toStdString();
        const QJsonValue scriptId = frame.value(QLatin1String("scriptId"));
        if (scriptId.isString()) {
            bool ok = false;
            node.callFrame.scriptId = scriptId.toString().toInt(&ok);
            if (!ok)
                return fail(where + ".callFrame.scriptId is not a number in a string");
        } else if (!scriptId.isUndefined() && !intNumber(scriptId, &node.callFrame.scriptId)) {
            return fail(where + ".callFrame.scriptId is neither a string nor a whole number");
        }
        if (!intNumber(frame.value(QLatin1String("lineNumber")), &node.callFrame.lineNumber))
            return fail(where + ".callFrame.lineNumber is missing or not a whole number");
        if (!intNumber(frame.value(QLatin1String("columnNumber")), &node.callFrame.columnNumber))
            return fail(where + ".callFrame.columnNumber is missing or not a whole number");
        const QJsonValue hits = n.value(QLatin1String("hitCount"));
        if (!hits.isUndefined() && (!intNumber(hits, &node.hitCount) || node.hitCount < 0))
            return fail(where + ".hitCount is not a whole number ≥ 0");
        const QJsonValue children = n.value(QLatin1String("children"));
        if (!children.isUndefined()) {
            if (!children.isArray())
                return fail(where + ".children is not an array");
            for (const QJsonValue &c : children.toArray()) {
                int id = 0;
                if (!intNumber(c, &id))
                    return fail(where + ".children has an entry that is not a whole number");
                node.children.push_back(id);
            }
        }
        p.nodes.push_back(std::move(node));
    }

    if (!wholeNumber(root.value(QLatin1String("startTime")), &p.startTime))
        return fail("\"startTime\" is missing or not a whole number");
    if (!wholeNumber(root.value(QLatin1String("endTime")), &p.endTime))
        return fail("\"endTime\" is missing or not a whole number");
    auto readInts = [&](const char *key, auto &outVector) {
        const QJsonValue v = root.value(QLatin1String(key));
        if (v.isUndefined())
            return true;
        if (!v.isArray())
            return fail(std::string("\"") + key + "\" is not an array");
        const QJsonArray a = v.toArray();
        outVector.reserve(size_t(a.size()));
        for (qsizetype i = 0; i < a.size(); ++i) {
            std::int64_t n = 0;
            if (!wholeNumber(a[i], &n))
                return fail(std::string(key) + "[" + std::to_string(i) + "] is not a whole number");
            outVector.push_back(typename std::decay_t<decltype(outVector)>::value_type(n));
        }
        return true;
    };
    if (!readInts("samples", p.samples) || !readInts("timeDeltas", p.timeDeltas))
        return false;
    std::string invalid;
    if (!p.validate(&invalid))
        return fail("not a valid CPU profile: " + invalid);
    into = std::move(p);
    return true;
}

bool readCpuProfile(const std::string &path, CpuProfile &into, std::string *error)
{
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        if (error)
            *error = "cannot read " + path;
        return false;
    }
    std::ostringstream bytes;
    bytes << file.rdbuf();
    std::string message;
    if (!cpuProfileFromJson(bytes.str(), into, &message)) {
        if (error)
            *error = path + ": " + message;
        return false;
    }
    return true;
}

} // namespace Loopscope::Runtime
