// tanh written through exp of a non-positive number: some drivers compute GLSL's tanh as
// (e^2x - 1) / (e^2x + 1), which gives NaN once e^2x overflows.
float tanhStable(float u)
{
    const float e = exp(-2.0 * abs(u));
    return sign(u) * (1.0 - e) / (1.0 + e);
}

// GELU, tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
float geluTanh(float x)
{
    return 0.5 * x * (1.0 + tanhStable(0.7978845608 * (x + 0.044715 * x * x * x)));
}
