// Choosing the next token from logits: penalties, then top-k, top-p, min-p and temperature,
// then a seeded draw (or argmax when the temperature is 0). The same settings, seed and
// logits always give the same tokens.
#pragma once

#include <cstdint>
#include <deque>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace parlo {

struct SamplerSettings
{
    float temperature = 0.8f;     // <= 0: greedy
    int32_t top_k = 40;           // <= 0: off
    float top_p = 0.95f;          // >= 1: off
    float min_p = 0.05f;          // <= 0: off; keeps tokens with p >= min_p * p(best)
    float repeat_penalty = 1.0f;  // 1: off; CTRL-style, divides positive logits, multiplies negative
    float presence_penalty = 0.0f;
    float frequency_penalty = 0.0f;
    int32_t penalty_last_n = 64;  // the window of recent tokens the penalties look at; 0: off
    uint64_t seed = 0xC0FFEE;
};

struct TokenProbability
{
    int32_t id = 0;
    float p = 0.0f;
};

class Sampler
{
public:
    explicit Sampler(const SamplerSettings &settings = {});

    // Picks a token from logits [n_vocab]. Does not record it: call accept() with the token
    // that is actually used (the prompt's tokens too, for the penalties).
    int32_t sample(std::span<const float> logits);
    void accept(int32_t token);
    // Forgets the history and restarts the random sequence from the seed.
    void reset();

    // The distribution the draw is made from, after every stage, highest first. For tests and
    // for showing alternatives.
    std::vector<TokenProbability> distribution(std::span<const float> logits) const;

    const SamplerSettings &settings() const { return m_settings; }

private:
    std::vector<float> penalised(std::span<const float> logits) const;

    SamplerSettings m_settings;
    std::deque<int32_t> m_recent; // last penalty_last_n accepted tokens
    std::mt19937_64 m_rng;
};

// Watches generated text for the user's stop strings. Text that might be the start of a stop
// string is held back until it is known not to be, so a stop string is never shown.
class StopMatcher
{
public:
    explicit StopMatcher(std::vector<std::string> stops = {});
    // Adds a piece; returns the text that is now safe to show. After a stop string completes,
    // stopped() is true and the text before it has been returned.
    std::string feed(std::string_view piece);
    // At the end of generation: whatever was held back.
    std::string flush();
    bool stopped() const { return m_stopped; }

private:
    std::vector<std::string> m_stops;
    std::string m_held;
    bool m_stopped = false;
};

} // namespace parlo
