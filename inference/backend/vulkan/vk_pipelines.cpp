// Compute pipelines from the embedded SPIR-V, and the on-disk VkPipelineCache that makes the
// second start-up skip shader compilation in the driver.
#include "parlo_spirv.h"
#include "vk_context.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace parlo::vk {
namespace {

const spirv::Blob *findSpirv(const std::string &name)
{
    for (const auto &blob : spirv::all()) {
        if (name == blob.name)
            return &blob;
    }
    return nullptr;
}

std::filesystem::path cacheDirectory()
{
    if (const char *dir = std::getenv("XDG_CACHE_HOME"); dir && *dir)
        return std::filesystem::path(dir) / "parlo";
    if (const char *home = std::getenv("HOME"); home && *home)
        return std::filesystem::path(home) / ".cache" / "parlo";
    return {};
}

} // namespace

Result<const Pipeline *> Context::pipeline(const PipelineDesc &desc)
{
    std::string key = desc.variant;
    for (uint32_t c : desc.specConstants)
        key += "/" + std::to_string(c);
    if (auto it = m_pipelines.find(key); it != m_pipelines.end())
        return static_cast<const Pipeline *>(it->second.get());

    const spirv::Blob *blob = findSpirv(desc.variant);
    if (!blob)
        return makeError("no shader variant named " + desc.variant + " is built into Parlo");

    const Api &vk = api();
    auto p = std::make_unique<Pipeline>();
    p->variant = desc.variant;
    p->bindingCount = desc.bindingCount;
    p->pushConstantBytes = desc.pushConstantBytes;

    std::vector<VkDescriptorSetLayoutBinding> bindings(desc.bindingCount);
    for (uint32_t i = 0; i < desc.bindingCount; ++i)
        bindings[i] = {i, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1, VK_SHADER_STAGE_COMPUTE_BIT, nullptr};
    VkDescriptorSetLayoutCreateInfo setInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
    setInfo.bindingCount = desc.bindingCount;
    setInfo.pBindings = bindings.data();
    PARLO_VK_CHECK("vkCreateDescriptorSetLayout",
                   vk.vkCreateDescriptorSetLayout(m_device, &setInfo, nullptr, &p->setLayout));

    const VkPushConstantRange range{VK_SHADER_STAGE_COMPUTE_BIT, 0, desc.pushConstantBytes};
    VkPipelineLayoutCreateInfo layoutInfo{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
    layoutInfo.setLayoutCount = 1;
    layoutInfo.pSetLayouts = &p->setLayout;
    layoutInfo.pushConstantRangeCount = desc.pushConstantBytes ? 1 : 0;
    layoutInfo.pPushConstantRanges = &range;
    PARLO_VK_CHECK("vkCreatePipelineLayout", vk.vkCreatePipelineLayout(m_device, &layoutInfo, nullptr, &p->layout));

    VkShaderModuleCreateInfo moduleInfo{VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
    moduleInfo.codeSize = blob->wordCount * sizeof(uint32_t);
    moduleInfo.pCode = blob->words;
    VkShaderModule module = VK_NULL_HANDLE;
    PARLO_VK_CHECK("vkCreateShaderModule", vk.vkCreateShaderModule(m_device, &moduleInfo, nullptr, &module));

    std::vector<VkSpecializationMapEntry> entries(desc.specConstants.size());
    for (uint32_t i = 0; i < entries.size(); ++i)
        entries[i] = {i, i * uint32_t(sizeof(uint32_t)), sizeof(uint32_t)};
    VkSpecializationInfo spec{uint32_t(entries.size()), entries.data(), desc.specConstants.size() * sizeof(uint32_t),
                              desc.specConstants.data()};

    VkComputePipelineCreateInfo info{VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
    info.stage = {VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO};
    info.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
    info.stage.module = module;
    info.stage.pName = "main";
    info.stage.pSpecializationInfo = entries.empty() ? nullptr : &spec;
    info.layout = p->layout;
    const VkResult created = vk.vkCreateComputePipelines(m_device, m_pipelineCache, 1, &info, nullptr, &p->pipeline);
    vk.vkDestroyShaderModule(m_device, module, nullptr);
    if (created != VK_SUCCESS) {
        vk.vkDestroyPipelineLayout(m_device, p->layout, nullptr);
        vk.vkDestroyDescriptorSetLayout(m_device, p->setLayout, nullptr);
        return vulkanError(("vkCreateComputePipelines(" + desc.variant + ")").c_str(), created);
    }
    const Pipeline *result = p.get();
    m_pipelines.emplace(key, std::move(p));
    return result;
}

void Context::loadPipelineCache()
{
    std::vector<char> data;
    const auto dir = cacheDirectory();
    if (!dir.empty()) {
        char name[96];
        std::snprintf(name, sizeof name, "vulkan-pipelines-%04x-%04x.bin", m_info.vendorId, m_info.deviceId);
        m_pipelineCachePath = (dir / name).string();
        std::ifstream in(m_pipelineCachePath, std::ios::binary);
        if (in)
            data.assign(std::istreambuf_iterator<char>(in), {});
    }
    // The driver checks the header (vendor, device, cache UUID) and ignores stale data.
    VkPipelineCacheCreateInfo info{VK_STRUCTURE_TYPE_PIPELINE_CACHE_CREATE_INFO};
    info.initialDataSize = data.size();
    info.pInitialData = data.empty() ? nullptr : data.data();
    if (api().vkCreatePipelineCache(m_device, &info, nullptr, &m_pipelineCache) != VK_SUCCESS) {
        info.initialDataSize = 0;
        info.pInitialData = nullptr;
        if (api().vkCreatePipelineCache(m_device, &info, nullptr, &m_pipelineCache) != VK_SUCCESS)
            m_pipelineCache = VK_NULL_HANDLE; // pipelines still work, only slower to create
    }
}

void Context::savePipelineCache() const
{
    if (m_pipelineCache == VK_NULL_HANDLE || m_pipelineCachePath.empty() || m_pipelines.empty())
        return;
    size_t size = 0;
    if (api().vkGetPipelineCacheData(m_device, m_pipelineCache, &size, nullptr) != VK_SUCCESS || size == 0)
        return;
    std::vector<char> data(size);
    if (api().vkGetPipelineCacheData(m_device, m_pipelineCache, &size, data.data()) != VK_SUCCESS)
        return;
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(m_pipelineCachePath).parent_path(), ec);
    // Write beside and rename, so a crash never leaves a torn cache file.
    const std::string temp = m_pipelineCachePath + ".tmp";
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        if (!out)
            return;
        out.write(data.data(), std::streamsize(size));
        if (!out)
            return;
    }
    std::filesystem::rename(temp, m_pipelineCachePath, ec);
}

} // namespace parlo::vk
