// A Vulkan context on the test device (lavapipe in CI) with validation on. Tests check
// validationClean() at the end, so any validation message fails them.
#pragma once

#include "backend/vulkan/vk_context.h"

#include <QString>
#include <QtTest>

#include <memory>

namespace parlo::test {

// Creates a context on the first Vulkan device, or returns null and says why: `failed` is
// false when there is simply no device (skip) and true when one exists but cannot be opened.
std::unique_ptr<vk::Context> createTestVulkanContext(QString &reason, bool &failed);

// True when the validation layers are on and reported nothing; otherwise describes why not.
bool validationClean(const vk::Context &context, QString &problem);

} // namespace parlo::test

// Declares `var` as a test Vulkan context, or skips the test with the reason.
#define PARLO_REQUIRE_VULKAN(var)                                                                   \
    QString var##_reason;                                                                           \
    bool var##_failed = false;                                                                      \
    auto var = ::parlo::test::createTestVulkanContext(var##_reason, var##_failed);                 \
    if (!var && var##_failed)                                                                       \
        QFAIL(qPrintable(var##_reason));                                                            \
    if (!var)                                                                                       \
        QSKIP(qPrintable(var##_reason));

#define PARLO_VERIFY_VALIDATION_CLEAN(context)                                                      \
    do {                                                                                            \
        QString problem_;                                                                           \
        QVERIFY2(::parlo::test::validationClean(*(context), problem_), qPrintable(problem_));      \
    } while (0)
