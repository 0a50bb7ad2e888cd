#include "loopstatemodel.h"

#include <QCoreApplication>
#include <QFileInfo>

#include <algorithm>
#include <limits>

namespace Loopscope::EventLoop {

using namespace Runtime;

constexpr std::uint64_t kNever = std::numeric_limits<std::uint64_t>::max();

static QString tr(const char *text)
{
    return QCoreApplication::translate("Loopscope::EventLoop", text);
}

QString LoopCard::title() const
{
    return name;
}

QString LoopCard::detail() const
{
    QString s = type;
    if (line > 0)
        s += tr(" · line %1").arg(line);
    if (delayMs >= 0)
        s += repeat ? tr(" · every %1 ms").arg(delayMs) : tr(" · %1 ms").arg(delayMs);
    if (due)
        s += tr(" · due");
    return s;
}

QString LoopCard::accessibleText() const
{
    QString s = tr("%1, %2").arg(name, type);
    if (line > 0)
        s += tr(", scheduled at line %1 of %2").arg(line).arg(QFileInfo(file).fileName());
    if (delayMs >= 0)
        s += tr(", %1 ms timer").arg(delayMs);
    if (due)
        s += tr(", due");
    if (!createdBy.isEmpty())
        s += tr(", created by %1").arg(createdBy);
    return s;
}

LoopStateModel::LoopStateModel(QObject *parent) : QObject(parent) {}

LoopStateModel::~LoopStateModel() = default;

void LoopStateModel::setIndex(const TraceIndex *index)
{
    m_index = index;
    m_entries.clear();
    m_resourcesSeen = 0;
    m_closeCallbacks.clear();
    m_callbacksSeen = 0;
    m_closeRequestsSeen = 0;
    m_scriptCallbacks.clear();
    m_pendingRequests.clear();
    m_requestedCloses.clear();
    m_blockedBefore.clear();
    m_typeCategories.clear();
    m_strings.clear();
    extend();
    recompute();
}

void LoopStateModel::indexGrew(bool recompute)
{
    extend();
    if (recompute)
        this->recompute();
}

void LoopStateModel::setCursorNs(std::uint64_t ns)
{
    m_cursorNs = ns;
    recompute();
}

void LoopStateModel::recompute()
{
    m_state = stateAt(m_cursorNs);
    Q_EMIT stateChanged();
}

const QString &LoopStateModel::text(std::uint32_t id) const
{
    auto it = m_strings.find(id);
    if (it == m_strings.end())
        it = m_strings.emplace(id, QString::fromStdString(m_index->string(id))).first;
    return it->second;
}

LoopStateModel::Category LoopStateModel::categoryOf(const IndexedResource &r)
{
    if (r.internal || r.type == 0)
        return Category::None;  // the runtime's own output path; or a callback of an unseen init
    auto it = m_typeCategories.find(r.type);
    if (it != m_typeCategories.end())
        return it->second;
    const QString &type = text(r.type);
    Category c;
    if (type == QLatin1String("TickObject"))
        c = Category::Tick;
    else if (type == QLatin1String("PROMISE"))
        c = Category::Promise;
    else if (type == QLatin1String("Microtask"))  // queueMicrotask(): queued at once
        c = Category::QueuedMicrotask;
    else if (type == QLatin1String("Timeout"))
        c = Category::Timer;
    else if (type == QLatin1String("Immediate"))
        c = Category::Immediate;
    else if (type == QLatin1String("TIMERWRAP"))
        c = Category::None;
    else if (type.contains(QLatin1String("REQ")) || type.endsWith(QLatin1String("CONNECTWRAP"))
             || type == QLatin1String("WRITEWRAP") || type == QLatin1String("SHUTDOWNWRAP"))
        c = Category::IoRequest;
    else
        c = Category::IoHandle;
    m_typeCategories.emplace(r.type, c);
    return c;
}

void LoopStateModel::extend()
{
    if (!m_index)
        return;
    const auto &resources = m_index->resources();
    for (; m_resourcesSeen < resources.size(); ++m_resourcesSeen) {
        const IndexedResource &r = resources[m_resourcesSeen];
        const Category c = categoryOf(r);
        if (c != Category::None)
            m_entries.push_back({int(m_resourcesSeen), m_index->resourceIndex(r.triggerAsyncId), c});
    }
    const auto &requests = m_index->closeRequests();
    for (; m_closeRequestsSeen < requests.size(); ++m_closeRequestsSeen) {
        // Their callback may start after this extend(): the index fills it in later.
        m_pendingRequests.push_back(int(m_closeRequestsSeen));
    }
    for (auto it = m_pendingRequests.begin(); it != m_pendingRequests.end();) {
        if (const int callback = requests[std::size_t(*it)].callback; callback >= 0) {
            m_requestedCloses.emplace(callback, requests[std::size_t(*it)].name);
            it = m_pendingRequests.erase(it);
        } else {
            ++it;
        }
    }
    const auto &callbacks = m_index->callbacks();
    for (; m_callbacksSeen < callbacks.size(); ++m_callbacksSeen) {
        const IndexedCallback &cb = callbacks[m_callbacksSeen];
        if (cb.queue == CallbackQueue::Close && cb.depth == 0)
            m_closeCallbacks.push_back(int(m_callbacksSeen));
        // The runtime's own output callbacks are not the script's: the counter leaves them out.
        const IndexedResource *r = m_index->resource(cb.asyncId);
        const bool script = !r || !r->internal;
        m_scriptCallbacks.push_back((m_scriptCallbacks.empty() ? 0 : m_scriptCallbacks.back()) + (script ? 1 : 0));
    }
    // A poll's blocked time arrives when it ends: recount (phases are few next to events).
    const auto &phases = m_index->phases();
    m_blockedBefore.resize(phases.size());
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < phases.size(); ++i) {
        m_blockedBefore[i] = sum;
        sum += phases[i].blockedNs;
    }
}

LoopCard LoopStateModel::card(int resource) const
{
    LoopCard c;
    if (resource < 0)
        return c;
    const IndexedResource &r = m_index->resources()[std::size_t(resource)];
    c.asyncId = r.asyncId;
    c.resource = resource;
    c.name = r.name ? text(r.name) : QStringLiteral("anonymous");
    c.type = text(r.type);
    c.file = r.file ? text(r.file) : QString();
    c.line = int(r.line);
    c.column = int(r.column);
    c.delayMs = r.timerDelayMs;
    c.repeat = r.timerRepeat;
    return c;
}

void LoopStateModel::addCard(CardList &list, int resource) const
{
    if (list.cards.size() < kMaxCards)
        list.cards.append(card(resource));
    ++list.total;
}

LoopState LoopStateModel::stateAt(std::uint64_t t) const
{
    LoopState s;
    s.cursorNs = t;
    if (!m_index)
        return s;
    s.hasTrace = true;
    const auto &phases = m_index->phases();
    const auto &callbacks = m_index->callbacks();
    const auto &resources = m_index->resources();

    // Phase, iteration, counters.
    const auto after = std::upper_bound(phases.begin(), phases.end(), t,
                                        [](std::uint64_t v, const IndexedPhase &p) { return v < p.startNs; });
    const int p = int(after - phases.begin()) - 1;
    if (p < 0) {
        s.inMainScript = true;
    } else {
        const IndexedPhase &ph = phases[std::size_t(p)];
        s.iteration = ph.iteration;
        const bool inside = ph.endNs == 0 || ph.endNs > t;
        s.phase = inside ? ph.phase : LoopPhase::None;
        s.pollBlockedNs = std::size_t(p) < m_blockedBefore.size() ? m_blockedBefore[std::size_t(p)] : 0;
        if (ph.phase == LoopPhase::Poll)
            s.pollBlockedNs += std::min(t - ph.startNs, ph.blockedNs);  // a poll blocks first
        s.loopElapsedNs = t - phases.front().startNs;
        // Step mode's pauses are not loop time (the loop's clock stood still over them).
        const std::uint64_t paused = m_index->pausedNsBefore(t) - m_index->pausedNsBefore(phases.front().startNs);
        s.loopElapsedNs -= std::min(paused, s.loopElapsedNs);
        if (s.loopElapsedNs > 0)
            s.utilisation = std::clamp(1.0 - double(s.pollBlockedNs) / double(s.loopElapsedNs), 0.0, 1.0);
    }
    const int started = m_index->firstCallbackAfter(t);
    s.callbacksRun = started > 0 && std::size_t(started) <= m_scriptCallbacks.size()
        ? m_scriptCallbacks[std::size_t(started) - 1] : 0;

    // The call stack: the running callback and the ones it runs inside.
    const int running = m_index->callbackAt(t);
    s.runningCallback = running;
    if (running >= 0)
        s.runningQueue = callbacks[std::size_t(running)].queue;
    for (int c = running; c >= 0; c = callbacks[std::size_t(c)].parent) {
        const IndexedCallback &cb = callbacks[std::size_t(c)];
        const int resource = m_index->resourceIndex(cb.asyncId);
        LoopCard card = this->card(resource);
        card.callback = c;
        card.asyncId = cb.asyncId;
        if (auto close = m_requestedCloses.find(c); close != m_requestedCloses.end())
            card.name = close->second ? text(close->second) : QStringLiteral("anonymous");  // its close callback's
        if (resource < 0) {
            card.name = QStringLiteral("anonymous");
            card.type = QString::fromLatin1(callbackQueueName(cb.queue));
        } else {
            // What created it: the callback that was running when it was made, else the main
            // module (before the loop) or, failing both, its trigger.
            const IndexedResource &r = resources[std::size_t(resource)];
            const int makerCallback = m_index->callbackAt(r.initNs);
            const IndexedResource *maker = makerCallback >= 0
                ? m_index->resource(callbacks[std::size_t(makerCallback)].asyncId)
                : nullptr;
            if (maker && maker->type) {
                // "Immediate, line 5" for an anonymous function; "onTimer (Timeout, line 3)" else.
                QString where = text(maker->type);
                if (maker->line)
                    where += tr(", line %1").arg(maker->line);
                card.createdBy = maker->name ? tr("%1 (%2)").arg(text(maker->name), where) : where;
            } else if (r.triggerAsyncId == 1 || phases.empty() || r.initNs < phases.front().startNs) {
                card.createdBy = tr("the main module");
            } else if (const IndexedResource *trigger = m_index->resource(r.triggerAsyncId); trigger && trigger->type) {
                card.createdBy = text(trigger->type);
            }
        }
        if (s.callStack.cards.size() < kMaxCards)
            s.callStack.cards.append(card);
        ++s.callStack.total;
    }
    if (running < 0 && s.inMainScript && started == 0) {
        LoopCard main;
        main.name = tr("main module");
        main.type = tr("script");
        s.callStack.cards.append(main);
        s.callStack.total = 1;
    }

    if (const std::uint64_t next = m_index->pausedBeforeAt(t, &s.nextQueue)) {
        s.paused = true;
        s.next = card(m_index->resourceIndex(next));
        s.next.asyncId = next;
    }

    // The queues, as Node fills them (see the header).
    auto firstStart = [&](const IndexedResource &r) {
        return r.firstCallback >= 0 ? callbacks[std::size_t(r.firstCallback)].startNs : kNever;
    };
    const std::uint32_t promiseType = m_index->findString("PROMISE");
    std::vector<std::pair<std::uint64_t, int>> microtasks, timers;  // (order key, resource)
    for (const Entry &e : m_entries) {
        const IndexedResource &r = resources[std::size_t(e.resource)];
        if (r.initNs > t)
            break;  // entries are in init order
        const std::uint64_t destroyed = r.destroyNs ? r.destroyNs : kNever;
        const std::uint64_t runs = firstStart(r);
        switch (e.category) {
        case Category::Tick:
            if (t < std::min(runs, destroyed))
                addCard(s.nextTicks, e.resource);
            break;
        case Category::QueuedMicrotask:
            if (t < std::min(runs, destroyed))
                microtasks.emplace_back(r.initNs, e.resource);
            break;
        case Category::Promise: {
            const IndexedResource *trigger = e.trigger >= 0 ? &resources[std::size_t(e.trigger)] : nullptr;
            const bool triggerResolved = trigger && trigger->type == promiseType && trigger->resolveNs != 0;
            if (runs != kNever) {
                // Queued when the promise it reacts to resolved (at once if that was earlier).
                std::uint64_t enter = r.initNs;
                if (triggerResolved && trigger->resolveNs > enter && trigger->resolveNs <= runs)
                    enter = trigger->resolveNs;
                if (enter <= t && t < runs)
                    microtasks.emplace_back(enter, e.resource);
            } else if (triggerResolved) {
                // Not run (yet): a reaction to a resolved promise, unless it was made while that
                // promise's own reaction ran (then it is a promise created there, not a reaction).
                bool madeInside = false;
                if (trigger->firstCallback >= 0) {
                    const IndexedCallback &tc = callbacks[std::size_t(trigger->firstCallback)];
                    madeInside = tc.startNs <= r.initNs && (tc.endNs == 0 || r.initNs < tc.endNs);
                }
                const std::uint64_t enter = std::max(r.initNs, trigger->resolveNs);
                if (!madeInside && enter <= t && t < destroyed)
                    microtasks.emplace_back(enter, e.resource);
            }
            break;
        }
        case Category::Timer: {
            const std::uint64_t leaves = r.timerRepeat ? destroyed : std::min(runs, destroyed);
            if (t >= leaves)
                break;
            std::uint64_t base = r.initNs;
            if (r.timerRepeat && r.lastCallback >= 0 && callbacks[std::size_t(r.lastCallback)].startNs <= t)
                base = callbacks[std::size_t(r.lastCallback)].startNs;
            else if (r.timerRepeat && runs <= t)
                base = runs;
            const std::uint64_t dueNs = base + std::uint64_t(std::max<std::int64_t>(r.timerDelayMs, 0)) * 1000000u;
            timers.emplace_back(dueNs, e.resource);
            break;
        }
        case Category::Immediate:
            if (t < std::min(runs, destroyed))
                addCard(s.immediates, e.resource);
            break;
        case Category::IoRequest:
            if (t < std::min(runs, destroyed))
                addCard(s.io, e.resource);
            break;
        case Category::IoHandle:
            if (t < destroyed)
                addCard(s.io, e.resource);
            break;
        case Category::None:
            break;
        }
    }
    std::stable_sort(microtasks.begin(), microtasks.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    for (const auto &[enter, resource] : microtasks)
        addCard(s.microtasks, resource);
    std::stable_sort(timers.begin(), timers.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    for (const auto &[dueNs, resource] : timers) {
        addCard(s.timers, resource);
        if (s.timers.total <= kMaxCards)
            s.timers.cards.last().due = dueNs <= t;
    }

    // Close callbacks waiting for a close phase: from their close request until they start (or
    // the handle is gone without one). libuv's closing list is a stack that each close phase
    // takes whole: the next phase runs them newest first; those asked for during the current
    // close phase wait for the next one.
    const std::uint64_t closePhaseStart = s.phase == LoopPhase::Close ? phases[std::size_t(p)].startNs : kNever;
    std::vector<const IndexedCloseRequest *> closing;
    for (const IndexedCloseRequest &request : m_index->closeRequests()) {
        if (request.timeNs > t)
            break;  // in request order
        const int resource = m_index->resourceIndex(request.asyncId);
        if (resource < 0 || resources[std::size_t(resource)].internal)
            continue;
        const std::uint64_t destroyed = resources[std::size_t(resource)].destroyNs;
        const std::uint64_t runs = request.callback >= 0 ? callbacks[std::size_t(request.callback)].startNs
                                                          : destroyed ? destroyed : kNever;
        if (t < runs)
            closing.push_back(&request);
    }
    std::stable_sort(closing.begin(), closing.end(), [&](const IndexedCloseRequest *a, const IndexedCloseRequest *b) {
        const bool aLater = a->timeNs >= closePhaseStart, bLater = b->timeNs >= closePhaseStart;
        return aLater != bLater ? bLater : a->timeNs > b->timeNs;
    });
    for (const IndexedCloseRequest *request : closing) {
        if (s.closing.cards.size() < kMaxCards) {
            LoopCard c = card(m_index->resourceIndex(request->asyncId));
            c.name = request->name ? text(request->name) : QStringLiteral("anonymous");
            s.closing.cards.append(c);
        }
        ++s.closing.total;
    }
    // A trace without close requests (saved by an older version): from their iteration's poll on.
    for (int c : m_closeCallbacks) {
        const IndexedCallback &cb = callbacks[std::size_t(c)];
        if (cb.startNs <= t || m_requestedCloses.count(c))
            continue;
        auto at = std::upper_bound(phases.begin(), phases.end(), cb.startNs,
                                   [](std::uint64_t v, const IndexedPhase &ph) { return v < ph.startNs; });
        std::uint64_t enter = cb.startNs;
        for (auto it = at; it != phases.begin();) {
            --it;
            if (it->iteration != cb.iteration)
                break;
            enter = it->startNs;
            if (it->phase == LoopPhase::Poll)
                break;
        }
        if (enter > t)
            break;
        addCard(s.closing, m_index->resourceIndex(cb.asyncId));
    }
    return s;
}

} // namespace Loopscope::EventLoop
