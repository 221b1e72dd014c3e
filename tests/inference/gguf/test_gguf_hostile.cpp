// Hostile GGUF input: every malformed header gets a clear Error naming the problem, never a
// crash or a giant allocation. Files are built byte by byte with RawGguf.
#include "parlo/gguf.h"
#include "parlo/gguf_writer.h"
#include "raw_gguf.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using parlo::gguf::File;
using parlo::test::RawGguf;

namespace {

// The parse error, or "OK" when the bytes parse.
std::string parse(std::span<const std::byte> bytes)
{
    auto file = File::fromBytes(bytes);
    return file ? "OK" : file.error().message;
}

#define EXPECT_ERROR(raw, needle)                                                                   \
    do {                                                                                            \
        const std::string message_ = parse((raw).span());                                           \
        QVERIFY2(message_ != "OK", "parsed although it should not: " needle);                      \
        QVERIFY2(message_.find(needle) != std::string::npos, message_.c_str());                    \
    } while (0)

// A valid little file: two KVs, an array, two F32 tensors.
std::vector<std::byte> smallValidFile()
{
    parlo::gguf::Writer w;
    w.setString("general.architecture", "llama");
    w.setUInt32("llama.block_count", 2);
    const std::vector<std::string> tokens{"<s>", "a", "bc"};
    w.setStringArray("tokenizer.ggml.tokens", tokens);
    std::vector<float> a(64, 1.0f), b(32 * 3, 2.0f);
    const auto ok1 = w.addTensor("a", {64}, parlo::TensorType::F32, std::as_bytes(std::span(a)));
    const auto ok2 = w.addTensor("b", {32, 3}, parlo::TensorType::F32, std::as_bytes(std::span(b)));
    if (!ok1 || !ok2)
        return {};
    return w.toBytes();
}

// A header with one tensor info, then padding and `dataBytes` of data.
RawGguf oneTensor(std::initializer_list<uint64_t> dims, uint32_t type, uint64_t offset, size_t dataBytes)
{
    RawGguf raw;
    raw.header(1, 0).tensor("t", dims, type, offset).padTo(32).zeros(dataBytes);
    return raw;
}

} // namespace

class TestGgufHostile : public QObject
{
    Q_OBJECT

private slots:
    void validBaselineParses()
    {
        const auto bytes = smallValidFile();
        QCOMPARE(parse(bytes), std::string("OK"));
        QCOMPARE(parse(oneTensor({32}, 0, 0, 128).span()), std::string("OK"));
    }

    void truncatedAtEveryCutPoint()
    {
        const auto bytes = smallValidFile();
        auto file = File::fromBytes(bytes);
        QVERIFY(file);
        const auto &last = (*file)->tensors().back();
        const size_t dataEnd = size_t((*file)->dataOffset() + last.offset + last.byteSize);
        for (size_t cut = 0; cut < bytes.size(); ++cut) {
            const std::string message = parse(std::span(bytes).first(cut));
            if (cut < dataEnd) {
                QVERIFY2(message != "OK", qPrintable(QString("cut at %1 parsed").arg(cut)));
                QVERIFY2(message.find("truncated") != std::string::npos ||
                             message.find("outside the file") != std::string::npos ||
                             message.find("past the end") != std::string::npos ||
                             message.find("cannot fit") != std::string::npos ||
                             message.find("more than the rest") != std::string::npos ||
                             message.find("not a GGUF") != std::string::npos,
                         message.c_str());
            } else {
                // Only the trailing padding is missing: the data is complete.
                QCOMPARE(message, std::string("OK"));
            }
        }
    }

    void truncatedFileOnDiskNamesThePath()
    {
        QTemporaryDir dir;
        const auto bytes = smallValidFile();
        const std::string path = dir.filePath("cut.gguf").toStdString();
        std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char *>(bytes.data()), 50);
        auto file = File::open(path);
        QVERIFY(!file);
        QVERIFY2(file.error().message.rfind(path + ": ", 0) == 0, file.error().message.c_str());
        QVERIFY2(file.error().message.find("truncated") != std::string::npos, file.error().message.c_str());
    }

    void missingEmptyAndDirectoryPaths()
    {
        QTemporaryDir dir;
        auto missing = File::open(dir.filePath("nope.gguf").toStdString());
        QVERIFY(!missing);
        QVERIFY2(missing.error().message.find("nope.gguf") != std::string::npos, missing.error().message.c_str());
        QVERIFY(missing.error().message.find("No such file") != std::string::npos);
        const std::string empty = dir.filePath("empty.gguf").toStdString();
        std::ofstream(empty, std::ios::binary).flush();
        auto emptyFile = File::open(empty);
        QVERIFY(!emptyFile);
        QVERIFY2(emptyFile.error().message == empty + " is empty", emptyFile.error().message.c_str());
        auto directory = File::open(dir.path().toStdString());
        QVERIFY(!directory);
        QVERIFY(directory.error().message.find("not a regular file") != std::string::npos);
    }

    void wrongMagic()
    {
        RawGguf raw;
        raw.u32(0x4c4d4747u).u32(3).u64(0).u64(0); // "GGML"
        EXPECT_ERROR(raw, "does not start with the bytes \"GGUF\"");
        EXPECT_ERROR(RawGguf().u8('G').u8('G'), "shorter than the 4-byte magic");
        EXPECT_ERROR(RawGguf(), "not a GGUF file");
    }

    void unsupportedVersions()
    {
        EXPECT_ERROR(RawGguf().header(0, 0, 1), "version 1 is obsolete");
        EXPECT_ERROR(RawGguf().header(0, 0, 4), "unsupported GGUF version 4");
        EXPECT_ERROR(RawGguf().header(0, 0, 0), "unsupported GGUF version 0");
        EXPECT_ERROR(RawGguf().header(0, 0, 0x03000000u), "big-endian");
        QCOMPARE(parse(RawGguf().header(0, 0, 2).span()), std::string("OK"));
        QCOMPARE(parse(RawGguf().header(0, 0, 3).span()), std::string("OK"));
    }

    void hugeCountsFailFast()
    {
        QElapsedTimer timer;
        timer.start();
        EXPECT_ERROR(RawGguf().header(0, UINT64_MAX), "metadata count 18446744073709551615 cannot fit");
        EXPECT_ERROR(RawGguf().header(UINT64_MAX / 2, 0), "tensor count");
        // A key claiming 2^63 bytes.
        EXPECT_ERROR(RawGguf().header(0, 1).u64(uint64_t(1) << 63).zeros(16), "past the end of the file");
        // A string value claiming more than the file.
        EXPECT_ERROR(RawGguf().header(0, 1).str("k").u32(8).u64(1000).zeros(10), "metadata key 'k' claims 1000 bytes");
        // Arrays claiming 2^40 bytes or strings.
        EXPECT_ERROR(RawGguf().header(0, 1).str("k").u32(9).u32(0).u64(uint64_t(1) << 40),
                     "claims 1099511627776 elements of type uint8");
        EXPECT_ERROR(RawGguf().header(0, 1).str("k").u32(9).u32(8).u64(UINT64_MAX).zeros(64), "elements of type string");
        // A string array whose elements each claim a huge length.
        RawGguf strings;
        strings.header(0, 1).str("k").u32(9).u32(8).u64(4);
        for (int i = 0; i < 4; ++i)
            strings.u64(uint64_t(1) << 62);
        EXPECT_ERROR(strings, "past the end");
        QVERIFY2(timer.elapsed() < 2000, "hostile counts must be rejected before any allocation");
    }

    void arrayElementBudget()
    {
        // Nine million one-byte elements: the file really holds them, but that is more array
        // elements than any model has, and each costs a parsed Value.
        RawGguf raw;
        raw.header(0, 1).str("k").u32(9).u32(0).u64(9'000'000).zeros(9'000'000);
        EXPECT_ERROR(raw, "array elements");
    }

    void nestedArrayBombs()
    {
        // 100 levels of arrays of arrays.
        RawGguf deep;
        deep.header(0, 1).str("deep").u32(9);
        for (int i = 0; i < 100; ++i)
            deep.u32(9).u64(1);
        deep.u32(0).u64(0);
        EXPECT_ERROR(deep, "nests arrays deeper than 8 levels");
        // Nested within the limit parses, and reads back.
        RawGguf ok;
        ok.header(0, 1).str("nested").u32(9).u32(9).u64(2);
        ok.u32(4).u64(2).u32(7).u32(8); // [7, 8]
        ok.u32(8).u64(1).str("x");     // ["x"]
        auto file = File::fromBytes(ok.span());
        QVERIFY2(file, file ? "" : file.error().message.c_str());
        const auto *v = (*file)->find("nested");
        QVERIFY(v && v->elements.size() == 2);
        QCOMPARE(v->elements[0].elements[1].u, uint64_t(8));
        QCOMPARE(v->elements[1].elements[0].str, std::string_view("x"));
        // Wide: an array claiming 2^32 empty sub-arrays needs 12 bytes each.
        EXPECT_ERROR(RawGguf().header(0, 1).str("w").u32(9).u32(9).u64(uint64_t(1) << 32).zeros(100),
                     "elements of type array");
    }

    void unknownValueTypes()
    {
        EXPECT_ERROR(RawGguf().header(0, 1).str("k").u32(13).u32(0), "metadata key 'k' has unknown value type 13");
        EXPECT_ERROR(RawGguf().header(0, 1).str("k").u32(9).u32(99).u64(0), "array of unknown value type 99");
        EXPECT_ERROR(RawGguf().header(0, 1).str("").u32(4).u32(0), "empty key");
    }

    void duplicates()
    {
        EXPECT_ERROR(RawGguf().header(0, 2).kvU32("a.b", 1).kvU32("a.b", 2), "duplicate metadata key 'a.b'");
        RawGguf raw;
        raw.header(2, 0).tensor("w", {32}, 0, 0).tensor("w", {32}, 0, 128).padTo(32).zeros(256);
        EXPECT_ERROR(raw, "duplicate tensor name 'w'");
    }

    void badAlignment()
    {
        for (uint32_t a : {0u, 3u, 48u}) {
            RawGguf raw;
            raw.header(0, 1).kvU32("general.alignment", a);
            const std::string message = parse(raw.span());
            QVERIFY2(message.find("general.alignment is " + std::to_string(a) + "; it must be a power of two") !=
                         std::string::npos,
                     message.c_str());
        }
        EXPECT_ERROR(RawGguf().header(0, 1).kvString("general.alignment", "32"), "must be an unsigned integer");
        // A valid 64-byte alignment moves the data section.
        RawGguf ok;
        ok.header(1, 1).kvU32("general.alignment", 64).tensor("t", {16}, 0, 0).padTo(64).zeros(64);
        auto file = File::fromBytes(ok.span());
        QVERIFY2(file, file ? "" : file.error().message.c_str());
        QCOMPARE((*file)->alignment(), uint64_t(64));
        QCOMPARE((*file)->dataOffset() % 64, uint64_t(0));
    }

    void tensorOffsetNotAligned()
    {
        EXPECT_ERROR(oneTensor({8}, 0, 4, 64), "tensor 't' has data offset 4, which is not a multiple of the alignment 32");
    }

    void tensorsOutsideTheFile()
    {
        EXPECT_ERROR(oneTensor({32}, 0, 0, 127), "tensor 't' lies outside the file");
        EXPECT_ERROR(oneTensor({32}, 0, uint64_t(1) << 62, 128), "lies outside the file");
        EXPECT_ERROR(oneTensor({32}, 0, UINT64_MAX - 31, 128), "lies outside the file");
        // Data section itself past the end: tensor infos fill the file exactly, no padding.
        RawGguf raw;
        raw.header(1, 0).tensor("t", {1}, 0, 0);
        while (raw.bytes.size() % 32 == 0)
            raw.u8(0);
        EXPECT_ERROR(raw, "truncated");
    }

    void overlappingTensors()
    {
        RawGguf raw;
        raw.header(2, 0).tensor("first", {64}, 0, 0).tensor("second", {32}, 0, 128).padTo(32).zeros(512);
        EXPECT_ERROR(raw, "tensor 'second' overlaps tensor 'first'");
        RawGguf same;
        same.header(2, 0).tensor("x", {8}, 0, 0).tensor("y", {8}, 0, 0).padTo(32).zeros(64);
        EXPECT_ERROR(same, "overlaps");
    }

    void unknownAndMisfitTypes()
    {
        EXPECT_ERROR(oneTensor({32}, 31, 0, 1024), "tensor 't' has unknown tensor type id 31");
        EXPECT_ERROR(oneTensor({32}, 4, 0, 1024), "unknown tensor type id 4"); // Q4_2, removed
        EXPECT_ERROR(oneTensor({32}, 0xffffffffu, 0, 1024), "unknown tensor type id 4294967295");
        EXPECT_ERROR(oneTensor({33}, 2, 0, 1024), "rows of 33 values, not a multiple of 32 as type Q4_0 needs");
        // Known but unsupported: parses; the loader refuses it by name.
        auto raw = oneTensor({256}, uint32_t(parlo::TensorType::IQ2_XXS), 0, 66);
        auto file = File::fromBytes(raw.span());
        QVERIFY2(file, file ? "" : file.error().message.c_str());
        QCOMPARE((*file)->tensors()[0].type, parlo::TensorType::IQ2_XXS);
        QVERIFY(!parlo::tensorTypeInfo((*file)->tensors()[0].type)->supported);
    }

    void zeroAndOverflowingDims()
    {
        EXPECT_ERROR(oneTensor({32, 0}, 0, 0, 128), "tensor 't' has a zero dimension");
        EXPECT_ERROR(oneTensor({}, 0, 0, 128), "has 0 dimensions");
        EXPECT_ERROR(oneTensor({1, 1, 1, 1, 1}, 0, 0, 128), "has 5 dimensions");
        EXPECT_ERROR(oneTensor({uint64_t(1) << 40, uint64_t(1) << 40}, 0, 0, 128), "count overflows");
        EXPECT_ERROR(oneTensor({UINT64_MAX}, 0, 0, 128), "count overflows");
        // Fits in int64 elements, but not in bytes.
        EXPECT_ERROR(oneTensor({uint64_t(1) << 62}, 0, 0, 128), "too large");
        EXPECT_ERROR(RawGguf().header(1, 0).str("").u32(1).u64(1).u32(0).u64(0).padTo(32).zeros(32), "empty name");
    }

    void garbageNamesStayPrintable()
    {
        RawGguf raw;
        raw.header(0, 2).kvU32(std::string_view("a\nb\x01", 4), 1).kvU32(std::string_view("a\nb\x01", 4), 2);
        EXPECT_ERROR(raw, "duplicate metadata key 'a?b?'");
    }
};

QTEST_GUILESS_MAIN(TestGgufHostile)
#include "test_gguf_hostile.moc"
