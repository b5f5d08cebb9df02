namespace Doppel.Simulation.Continuous.Internal;

/// <summary>
/// RODAS4: a 6-stage, order 4(3), L-stable and stiffly accurate Rosenbrock method with an order-3 dense output, in
/// the transformed form of Hairer's RODAS code (Hairer &amp; Wanner, Solving ODEs II, 2nd ed., VI.4;
/// coefficients as in rodas.f, METH = 1). Stage i solves (I/(hγ) − J) k_i = f(t + c_i h, y + Σ a_ij k_j)
/// + Σ (c_ij / h) k_j + h d_i ∂f/∂t; the new solution is y + Σ a_5j k_j + k5 + k6, and k6 is the error estimate.
/// </summary>
internal static class Rodas4Tableau
{
    public const double Gamma = 0.25;
    public const double C2 = 0.386, C3 = 0.21, C4 = 0.63;
    public const double D1 = 0.25, D2 = -0.1043, D3 = 0.1035, D4 = -0.3620000000000023e-1;

    public const double A21 = 0.1544000000000000e+01;
    public const double A31 = 0.9466785280815826e+00, A32 = 0.2557011698983284e+00;
    public const double A41 = 0.3314825187068521e+01, A42 = 0.2896124015972201e+01, A43 = 0.9986419139977817e+00;
    public const double A51 = 0.1221224509226641e+01, A52 = 0.6019134481288629e+01, A53 = 0.1253708332932087e+02,
        A54 = -0.6878860361058950e+00;

    public const double C21 = -0.5668800000000000e+01;
    public const double C31 = -0.2430093356833875e+01, C32 = -0.2063599157091915e+00;
    public const double C41 = -0.1073529058151375e+00, C42 = -0.9594562251023355e+01, C43 = -0.2047028614809616e+02;
    public const double C51 = 0.7496443313967647e+01, C52 = -0.1024680431464352e+02, C53 = -0.3399990352819905e+02,
        C54 = 0.1170890893206160e+02;
    public const double C61 = 0.8083246795921522e+01, C62 = -0.7981132988064893e+01, C63 = -0.3152159432874371e+02,
        C64 = 0.1631930543123136e+02, C65 = -0.6058818238834054e+01;

    // Dense output: y(t0 + θh) = (1 − θ) y0 + θ (y1 + (1 − θ) (Σ h2j k_j + θ Σ h3j k_j)).
    public const double H21 = 0.1012623508344586e+02, H22 = -0.7487995877610167e+01, H23 = -0.3480091861555747e+02,
        H24 = -0.7992771707568823e+01, H25 = 0.1025137723295662e+01;
    public const double H31 = -0.6762803392801253e+00, H32 = 0.6087714651680015e+01, H33 = 0.1643084320892478e+02,
        H34 = 0.2476722511418386e+02, H35 = -0.6594389125716872e+01;
}
