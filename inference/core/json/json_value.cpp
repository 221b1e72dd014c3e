// parlo::json::Value accessors and mutation.
#include "parlo/json.h"

namespace parlo::json {

namespace {
const std::string kEmptyString;
const Value::Array kEmptyArray;
const Value::Object kEmptyObject;
} // namespace

bool Value::toBool() const
{
    if (auto p = std::get_if<bool>(&m_data))
        return *p;
    return false;
}

int64_t Value::toInt() const
{
    if (auto p = std::get_if<int64_t>(&m_data))
        return *p;
    if (auto p = std::get_if<double>(&m_data)) {
        // Saturate instead of invoking undefined behaviour on out-of-range doubles.
        if (!(*p == *p))
            return 0;
        if (*p >= 9.2233720368547758e18)
            return INT64_MAX;
        if (*p <= -9.2233720368547758e18)
            return INT64_MIN;
        return int64_t(*p);
    }
    return 0;
}

double Value::toDouble() const
{
    if (auto p = std::get_if<double>(&m_data))
        return *p;
    if (auto p = std::get_if<int64_t>(&m_data))
        return double(*p);
    return 0.0;
}

const std::string &Value::toString() const
{
    if (auto p = std::get_if<std::string>(&m_data))
        return *p;
    return kEmptyString;
}

const Value::Array &Value::toArray() const
{
    if (auto p = std::get_if<Array>(&m_data))
        return *p;
    return kEmptyArray;
}

const Value::Object &Value::toObject() const
{
    if (auto p = std::get_if<Object>(&m_data))
        return *p;
    return kEmptyObject;
}

Value::Array &Value::asArray()
{
    if (!isArray())
        m_data = Array{};
    return std::get<Array>(m_data);
}

Value::Object &Value::asObject()
{
    if (!isObject())
        m_data = Object{};
    return std::get<Object>(m_data);
}

const Value *Value::find(std::string_view key) const
{
    if (auto p = std::get_if<Object>(&m_data)) {
        for (const auto &member : *p)
            if (member.first == key)
                return &member.second;
    }
    return nullptr;
}

Value *Value::find(std::string_view key)
{
    return const_cast<Value *>(static_cast<const Value *>(this)->find(key));
}

void Value::set(std::string key, Value value)
{
    if (Value *existing = find(key)) {
        *existing = std::move(value);
        return;
    }
    asObject().emplace_back(std::move(key), std::move(value));
}

void Value::push(Value value) { asArray().push_back(std::move(value)); }

size_t Value::size() const
{
    if (auto p = std::get_if<Array>(&m_data))
        return p->size();
    if (auto p = std::get_if<Object>(&m_data))
        return p->size();
    return 0;
}

bool Value::operator==(const Value &other) const { return m_data == other.m_data; }

} // namespace parlo::json
