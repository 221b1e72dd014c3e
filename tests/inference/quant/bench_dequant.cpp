// Dequantization throughput of the CPU reference, per type: bytes of quantized input read per
// second, and output values per second. Single thread.
#include "core/quant/dequantize.h"
#include "core/quant/quantize.h"
#include "parlo/tensor_type.h"

#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

using namespace parlo;

int main()
{
    constexpr size_t n = size_t(1) << 22; // 4M values per pass
    std::vector<float> values(n), out(n);
    std::mt19937 rng(1);
    std::normal_distribution<float> dist(0.0f, 0.02f);
    for (float &v : values)
        v = dist(rng);
    const TensorType types[] = {TensorType::F32,  TensorType::F16,  TensorType::BF16,   TensorType::Q4_0,
                                TensorType::Q4_1, TensorType::Q5_0, TensorType::Q5_1,   TensorType::Q8_0,
                                TensorType::Q2_K, TensorType::Q3_K, TensorType::Q4_K,   TensorType::Q5_K,
                                TensorType::Q6_K, TensorType::IQ4_NL, TensorType::IQ4_XS};
    std::printf("%-7s %10s %12s\n", "type", "GB/s in", "Gvalues/s");
    for (TensorType type : types) {
        std::vector<std::byte> src(*tensorBytes(type, n));
        if (quant::canQuantize(type)) {
            if (!quant::quantize(type, values, src))
                return 1;
        } else {
            std::mt19937 bytes(2); // random blocks are valid blocks for the remaining types
            for (auto &b : src)
                b = std::byte(bytes() & 0x3f); // keep F16 scales finite and small
        }
        double best = 1e9;
        for (int rep = 0; rep < 5; ++rep) {
            const auto start = std::chrono::steady_clock::now();
            if (!quant::dequantize(type, src, out))
                return 1;
            best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        }
        std::printf("%-7s %10.2f %12.2f\n", tensorTypeName(uint32_t(type)).c_str(), double(src.size()) / best / 1e9,
                    double(n) / best / 1e9);
    }
    return 0;
}
