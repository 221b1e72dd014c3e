// gguf::Writer: everything it writes reads back through gguf::File, value for value.
#include "parlo/gguf.h"
#include "parlo/gguf_writer.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace parlo;
using parlo::gguf::File;
using parlo::gguf::ValueType;
using parlo::gguf::Writer;

class TestGgufWriter : public QObject
{
    Q_OBJECT

private slots:
    void everyValueTypeRoundTrips()
    {
        Writer w;
        w.setUInt8("u8", 200);
        w.setInt8("i8", -100);
        w.setUInt16("u16", 60000);
        w.setInt16("i16", -30000);
        w.setUInt32("u32", 4000000000u);
        w.setInt32("i32", -2000000000);
        w.setUInt64("u64", UINT64_MAX);
        w.setInt64("i64", INT64_MIN);
        w.setFloat32("f32", 0.1f);
        w.setFloat64("f64", 1e300);
        w.setBool("yes", true);
        w.setBool("no", false);
        w.setString("s", "héllo");
        w.setString("empty", "");
        const std::vector<std::string> strings{"a", "", "ccc"};
        w.setStringArray("sa", strings);
        const std::vector<float> floats{1.5f, -2.0f};
        w.setFloat32Array("fa", floats);
        const std::vector<int32_t> ints{-1, 7};
        w.setInt32Array("ia", ints);
        w.setUInt32("replaced", 1);
        w.setUInt32("replaced", 2);

        auto file = File::fromBytes(w.toBytes());
        QVERIFY2(file, file ? "" : file.error().message.c_str());
        const File &f = **file;
        QCOMPARE(f.version(), 3u);
        QCOMPARE(f.metadata().size(), size_t(18));
        QCOMPARE(f.getUInt("u8"), std::optional<uint64_t>(200));
        QCOMPARE(f.find("u8")->type, ValueType::UInt8);
        QCOMPARE(f.getInt("i8"), std::optional<int64_t>(-100));
        QCOMPARE(f.getUInt("i8"), std::nullopt); // negative
        QCOMPARE(f.getUInt("u16"), std::optional<uint64_t>(60000));
        QCOMPARE(f.getInt("i16"), std::optional<int64_t>(-30000));
        QCOMPARE(f.getUInt("u32"), std::optional<uint64_t>(4000000000u));
        QCOMPARE(f.getInt("i32"), std::optional<int64_t>(-2000000000));
        QCOMPARE(f.getUInt("u64"), std::optional<uint64_t>(UINT64_MAX));
        QCOMPARE(f.getInt("u64"), std::nullopt); // does not fit
        QCOMPARE(f.getInt("i64"), std::optional<int64_t>(INT64_MIN));
        QCOMPARE(f.getFloat("f32"), std::optional<double>(double(0.1f)));
        QCOMPARE(f.getFloat("f64"), std::optional<double>(1e300));
        QCOMPARE(f.getFloat("u32"), std::optional<double>(4000000000.0));
        QCOMPARE(f.getBool("yes"), std::optional<bool>(true));
        QCOMPARE(f.getBool("no"), std::optional<bool>(false));
        QCOMPARE(f.getBool("u8"), std::nullopt);
        QCOMPARE(f.getString("s"), std::optional<std::string_view>("héllo"));
        QCOMPARE(f.getString("empty"), std::optional<std::string_view>(""));
        QCOMPARE(f.getString("u8"), std::nullopt);
        QCOMPARE(f.getString("missing"), std::nullopt);
        QCOMPARE(f.getStringArray("sa")->size(), size_t(3));
        QCOMPARE(f.getStringArray("sa")->at(2), std::string_view("ccc"));
        QCOMPARE(f.getStringArray("fa"), std::nullopt);
        QCOMPARE(*f.getFloatArray("fa"), floats);
        QCOMPARE(*f.getIntArray("ia"), (std::vector<int64_t>{-1, 7}));
        QCOMPARE(f.getFloatArray("ia")->at(0), -1.0f);
        QCOMPARE(f.getIntArray("fa"), std::nullopt);
        QCOMPARE(f.getUInt("replaced"), std::optional<uint64_t>(2));
        QCOMPARE(f.metadata().back().key, std::string_view("replaced")); // set twice, stored once
        QVERIFY(f.tensors().empty());
        QCOMPARE(f.architecture(), std::string_view());
    }

    void nestedValuesCopyAcrossFiles()
    {
        gguf::Value inner{.type = ValueType::Array, .elementType = ValueType::Int16};
        inner.elements = {{.type = ValueType::Int16, .i = -5}, {.type = ValueType::Int16, .i = 9}};
        gguf::Value outer{.type = ValueType::Array, .elementType = ValueType::Array};
        outer.elements = {inner, inner};
        Writer w;
        w.setValue("nested", outer);
        auto first = File::fromBytes(w.toBytes());
        QVERIFY(first);
        Writer copy;
        copy.setValue("nested", *(*first)->find("nested"));
        QCOMPARE(copy.toBytes(), w.toBytes());
        const auto *v = (*first)->find("nested");
        QCOMPARE(v->elements[1].elements[0].i, int64_t(-5));
        QCOMPARE(v->elements[1].elementType, ValueType::Int16);
    }

    void tensorsAreAlignedAndExact()
    {
        Writer w;
        QVERIFY(w.setAlignment(64));
        QVERIFY(!w.setAlignment(48));
        std::vector<float> a(40), b(32 * 2);
        for (size_t i = 0; i < a.size(); ++i)
            a[i] = float(i);
        for (size_t i = 0; i < b.size(); ++i)
            b[i] = -float(i);
        QVERIFY(w.addTensor("a", {40}, TensorType::F32, std::as_bytes(std::span(a))));
        std::vector<std::byte> q8(2 * 34, std::byte{1});
        QVERIFY(w.addTensor("q", {32, 2}, TensorType::Q8_0, q8));
        QVERIFY(w.addTensor("b", {32, 2}, TensorType::F32, std::as_bytes(std::span(b))));
        // Refusals: duplicate name, wrong size, misfit rows, zero dims.
        QVERIFY(!w.addTensor("a", {40}, TensorType::F32, std::as_bytes(std::span(a))));
        QVERIFY(!w.addTensor("c", {41}, TensorType::F32, std::as_bytes(std::span(a))));
        QVERIFY(!w.addTensor("c", {20}, TensorType::Q8_0, q8));
        QVERIFY(!w.addTensor("c", {40, 0}, TensorType::F32, {}));
        QVERIFY(!w.addTensor("", {40}, TensorType::F32, std::as_bytes(std::span(a))));

        QTemporaryDir dir;
        const std::string path = dir.filePath("t.gguf").toStdString();
        QVERIFY(w.writeFile(path));
        QVERIFY(!QFile::exists(QString::fromStdString(path + ".part")));
        auto file = File::open(path);
        QVERIFY2(file, file ? "" : file.error().message.c_str());
        const File &f = **file;
        QCOMPARE(f.path(), path);
        QCOMPARE(f.alignment(), uint64_t(64));
        QCOMPARE(f.tensors().size(), size_t(3));
        const auto *ta = f.findTensor("a");
        const auto *tb = f.findTensor("b");
        const auto *tq = f.findTensor("q");
        QVERIFY(ta && tb && tq && !f.findTensor("c"));
        QCOMPARE((f.dataOffset() + tq->offset) % 64, uint64_t(0));
        QCOMPARE(tq->byteSize, uint64_t(68));
        QCOMPARE(tb->shape, (std::vector<uint64_t>{32, 2}));
        QCOMPARE(tb->rows(), uint64_t(2));
        QCOMPARE(tb->elementCount(), uint64_t(64));
        const auto da = f.tensorData(*ta);
        QCOMPARE(da.size(), size_t(160));
        QVERIFY(std::equal(da.begin(), da.end(), std::as_bytes(std::span(a)).begin()));
        const auto db = f.tensorData(*tb);
        QVERIFY(std::equal(db.begin(), db.end(), std::as_bytes(std::span(b)).begin()));
        QVERIFY(std::ranges::equal(f.tensorData(*tq), q8));
    }

    void alignmentSetAsAPlainValueStillLaysOutTheData()
    {
        Writer w;
        w.setUInt64("general.alignment", 128);
        std::vector<float> a(3), b(5);
        QVERIFY(w.addTensor("a", {3}, TensorType::F32, std::as_bytes(std::span(a))));
        QVERIFY(w.addTensor("b", {5}, TensorType::F32, std::as_bytes(std::span(b))));
        auto file = File::fromBytes(w.toBytes());
        QVERIFY2(file, file ? "" : file.error().message.c_str());
        QCOMPARE((*file)->alignment(), uint64_t(128));
        QCOMPARE((*file)->findTensor("b")->offset, uint64_t(128));
    }

    void writeFileReportsUnwritablePaths()
    {
        Writer w;
        auto r = w.writeFile("/nonexistent-dir/x.gguf");
        QVERIFY(!r);
        QVERIFY2(r.error().message.find("/nonexistent-dir/x.gguf.part") != std::string::npos, r.error().message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestGgufWriter)
#include "test_gguf_writer.moc"
