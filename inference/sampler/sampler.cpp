#include "parlo/sampler.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace parlo {

Sampler::Sampler(const SamplerSettings &settings)
    : m_settings(settings)
    , m_rng(settings.seed)
{
}

void Sampler::reset()
{
    m_recent.clear();
    m_rng.seed(m_settings.seed);
}

void Sampler::accept(int32_t token)
{
    if (m_settings.penalty_last_n <= 0)
        return;
    m_recent.push_back(token);
    while (m_recent.size() > size_t(m_settings.penalty_last_n))
        m_recent.pop_front();
}

std::vector<float> Sampler::penalised(std::span<const float> logits) const
{
    std::vector<float> out(logits.begin(), logits.end());
    const SamplerSettings &s = m_settings;
    if (m_recent.empty() || (s.repeat_penalty == 1.0f && s.presence_penalty == 0.0f && s.frequency_penalty == 0.0f))
        return out;
    std::unordered_map<int32_t, int> counts;
    for (int32_t t : m_recent)
        counts[t]++;
    for (auto [token, count] : counts) {
        if (token < 0 || size_t(token) >= out.size())
            continue;
        float &l = out[size_t(token)];
        if (s.repeat_penalty != 1.0f && s.repeat_penalty > 0.0f)
            l = l > 0.0f ? l / s.repeat_penalty : l * s.repeat_penalty;
        l -= float(count) * s.frequency_penalty + s.presence_penalty;
    }
    return out;
}

std::vector<TokenProbability> Sampler::distribution(std::span<const float> logits) const
{
    const std::vector<float> l = penalised(logits);
    std::vector<int32_t> order(l.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = int32_t(i);
    // Highest first; ties to the lower id, so greedy matches an argmax that prefers low ids.
    auto higher = [&](int32_t a, int32_t b) { return l[a] > l[b] || (l[a] == l[b] && a < b); };
    const SamplerSettings &s = m_settings;
    if (s.temperature <= 0.0f) {
        if (l.empty())
            return {};
        return {TokenProbability{*std::min_element(order.begin(), order.end(), higher), 1.0f}};
    }
    size_t keep = order.size();
    if (s.top_k > 0 && size_t(s.top_k) < keep) {
        keep = size_t(s.top_k);
        std::partial_sort(order.begin(), order.begin() + keep, order.end(), higher);
        order.resize(keep);
    } else {
        std::sort(order.begin(), order.end(), higher);
    }
    // Probabilities at temperature 1 decide top-p and min-p (as llama.cpp's default chain
    // does before the temperature stage); the final draw uses the temperature.
    std::vector<double> p(order.size());
    const double maxLogit = order.empty() ? 0.0 : l[order[0]];
    double sum = 0.0;
    for (size_t i = 0; i < order.size(); ++i)
        sum += (p[i] = std::exp(double(l[order[i]]) - maxLogit));
    for (auto &x : p)
        x /= sum;
    if (s.top_p < 1.0f) {
        double cum = 0.0;
        size_t n = 0;
        while (n < order.size()) {
            cum += p[n++];
            if (cum >= s.top_p)
                break;
        }
        order.resize(n);
        p.resize(n);
    }
    if (s.min_p > 0.0f && !p.empty()) {
        const double threshold = double(s.min_p) * p[0];
        size_t n = 1;
        while (n < p.size() && p[n] >= threshold)
            ++n;
        order.resize(n);
        p.resize(n);
    }
    std::vector<TokenProbability> out(order.size());
    double tsum = 0.0;
    std::vector<double> w(order.size());
    for (size_t i = 0; i < order.size(); ++i)
        tsum += (w[i] = std::exp((double(l[order[i]]) - maxLogit) / double(s.temperature)));
    for (size_t i = 0; i < order.size(); ++i)
        out[i] = TokenProbability{order[i], float(w[i] / tsum)};
    return out;
}

int32_t Sampler::sample(std::span<const float> logits)
{
    const std::vector<TokenProbability> dist = distribution(logits);
    if (dist.empty())
        return -1;
    if (dist.size() == 1)
        return dist[0].id;
    // 53 random bits → a double in [0, 1): the same on every platform, unlike std distributions.
    const double u = double(m_rng() >> 11) * 0x1.0p-53;
    double cum = 0.0;
    for (const auto &tp : dist) {
        cum += tp.p;
        if (u < cum)
            return tp.id;
    }
    return dist.back().id;
}

StopMatcher::StopMatcher(std::vector<std::string> stops)
{
    for (auto &s : stops) {
        if (!s.empty())
            m_stops.push_back(std::move(s));
    }
}

std::string StopMatcher::feed(std::string_view piece)
{
    if (m_stopped)
        return {};
    m_held.append(piece);
    size_t firstStop = std::string::npos;
    for (const auto &s : m_stops)
        firstStop = std::min(firstStop, m_held.find(s));
    if (firstStop != std::string::npos) {
        m_stopped = true;
        std::string out = m_held.substr(0, firstStop);
        m_held.clear();
        return out;
    }
    // Hold back the longest tail that is a proper prefix of some stop string.
    size_t hold = 0;
    for (const auto &s : m_stops) {
        for (size_t len = std::min(s.size() - 1, m_held.size()); len > hold; --len) {
            if (m_held.compare(m_held.size() - len, len, s, 0, len) == 0) {
                hold = len;
                break;
            }
        }
    }
    std::string out = m_held.substr(0, m_held.size() - hold);
    m_held.erase(0, m_held.size() - hold);
    return out;
}

std::string StopMatcher::flush()
{
    if (m_stopped)
        return {};
    std::string out;
    out.swap(m_held);
    return out;
}

} // namespace parlo
