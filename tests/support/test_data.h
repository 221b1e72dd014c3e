// Locating ../shared test data. Tests that need a missing file skip with the reason.
#pragma once

#include <QString>
#include <QtTest>

namespace parlo::test {

// PARLO_TEST_DATA, set by CTest; empty when unset.
QString testDataDir();
// Absolute path of `relative` under the test data folder, or empty when it does not exist.
QString testDataFile(const QString &relative);

} // namespace parlo::test

// Binds `var` to the test data file `relative`, or skips the test with a clear reason.
#define PARLO_REQUIRE_TEST_FILE(var, relative)                                                      \
    const QString var = ::parlo::test::testDataFile(relative);                                     \
    if (var.isEmpty())                                                                              \
        QSKIP(qPrintable(QStringLiteral("test data %1 is missing (PARLO_TEST_DATA=%2)")             \
                             .arg(relative, ::parlo::test::testDataDir())));
