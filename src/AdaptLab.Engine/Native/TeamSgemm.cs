using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace AdaptLab.Engine.Native;

/// <summary>
/// float32 matrix products by OpenBLAS's single-threaded kernels, one block per thread of libtorch's own OpenMP team.
/// </summary>
/// <remarks>
/// On the 2-core bench machine (AMD Zen 2) libtorch's bundled MKL multiplies a LoRA step's shapes at 94-153 GFLOP/s and
/// OpenBLAS at 186-194, but OpenBLAS's own thread pool and libtorch's OpenMP team then fight over the cores: between
/// libtorch's element-wise operations its products fell to 104-152. Run as blocks on libtorch's team instead (libgomp's
/// GOMP_parallel, the call an OpenMP parallel region compiles to), there is one pool and no contention: 177 GFLOP/s
/// interleaved against MKL's 131. Where OpenBLAS is missing (or is its OpenMP build, which would nest a second OpenMP
/// runtime), or ADAPTLAB_GEMM=libtorch, <see cref="IsAvailable"/> is false and callers keep libtorch's products.
/// </remarks>
internal static unsafe class TeamSgemm
{
    /// <summary>
    /// The largest B (in elements: 32 MiB of float32) whose product is split by rows of A and C. Each thread then packs
    /// all of B, which costs little while B fits the cache. A larger B (an output layer) is split by columns of B and C
    /// instead, each thread packing its own part: a 49,152-token vocabulary's product ran at 172 GFLOP/s split that
    /// way, and at 155 split by rows.
    /// </summary>
    private const long RowSplitMaxB = 1L << 23;

    /// <summary>Products under this many multiply-adds run on the calling thread alone: waking the team would cost more.</summary>
    private const long MinTeamWork = 1L << 15;

    private const int RowMajor = 101;
    private const int NoTranspose = 111;
    private const int Transpose = 112;

    private static readonly Functions? Native = Load();

    /// <summary>Whether products run here; false leaves them to libtorch.</summary>
    public static bool IsAvailable => Native is not null;

    /// <summary>
    /// x · wᵀ for x [M, K] and w [N, K], as a new [M, N] tensor, or in <paramref name="shape"/> (M·N elements); null
    /// unless both are contiguous float32 on the CPU and this is available.
    /// </summary>
    public static Tensor? Linear(Tensor x, Tensor w, long[]? shape = null) => Multiply(x, w, transposeB: true, shape);

    /// <summary>
    /// a · b for a [M, K] and b [K, N], as a new [M, N] tensor, or in <paramref name="shape"/> (M·N elements); null
    /// unless both are contiguous float32 on the CPU and this is available.
    /// </summary>
    public static Tensor? Product(Tensor a, Tensor b, long[]? shape = null) => Multiply(a, b, transposeB: false, shape);

    private static Tensor? Multiply(Tensor a, Tensor b, bool transposeB, long[]? shape)
    {
        if (Native is not { } native || !Fits(a) || !Fits(b))
        {
            return null;
        }

        var (m, k) = (a.shape[0], a.shape[1]);
        var n = transposeB ? b.shape[0] : b.shape[1];
        if ((transposeB ? b.shape[1] : b.shape[0]) != k)
        {
            throw new ArgumentException($"Cannot multiply [{m}, {k}] by {(transposeB ? "the transpose of " : "")}[{b.shape[0]}, {b.shape[1]}].");
        }

        if (shape is not null && shape.Aggregate(1L, (product, size) => product * size) != m * n)
        {
            throw new ArgumentException($"A [{m}, {n}] product does not fit the shape [{string.Join(", ", shape)}].", nameof(shape));
        }

        var c = empty(shape ?? [m, n], ScalarType.Float32);
        var job = new Job
        {
            Gemm = native.Gemm,
            ThreadNumber = native.ThreadNumber,
            TeamSize = native.TeamSize,
            TransposeB = transposeB ? Transpose : NoTranspose,
            M = checked((int)m),
            N = checked((int)n),
            K = checked((int)k),
            A = (float*)TensorMemory.Address(a),
            B = (float*)TensorMemory.Address(b),
            C = (float*)TensorMemory.Address(c),
            SplitColumns = n * k > RowSplitMaxB,
        };

        var threads = get_num_threads();
        if (threads <= 1 || m * n * k < MinTeamWork)
        {
            Run(&job, 0, 1);
        }
        else
        {
            native.Parallel(&RunOnTeam, &job, (uint)threads, 0);
        }

        GC.KeepAlive(a);
        GC.KeepAlive(b);
        return c;
    }

    private static bool Fits(Tensor t) =>
        t.dtype == ScalarType.Float32 && t.device_type == DeviceType.CPU && t.dim() == 2 && t.is_contiguous() &&
        t.shape[0] > 0 && t.shape[1] > 0 && t.shape[0] <= int.MaxValue && t.shape[1] <= int.MaxValue;

    [UnmanagedCallersOnly]
    private static void RunOnTeam(void* job)
    {
        var j = (Job*)job;
        Run(j, j->ThreadNumber(), j->TeamSize());
    }

    /// <summary>Thread <paramref name="thread"/> of <paramref name="threads"/>: its block of C's rows (or columns).</summary>
    private static void Run(Job* j, int thread, int threads)
    {
        var (m, n, k) = (j->M, j->N, j->K);
        var ldb = j->TransposeB == Transpose ? k : n;
        if (j->SplitColumns)
        {
            var (first, end) = (Start(n, thread, threads), Start(n, thread + 1, threads));
            // Columns of C are rows of a transposed B, or columns of a plain one.
            var b = j->TransposeB == Transpose ? j->B + ((long)first * k) : j->B + first;
            if (end > first)
            {
                j->Gemm(RowMajor, NoTranspose, j->TransposeB, m, end - first, k, 1, j->A, k, b, ldb, 0, j->C + first, n);
            }
        }
        else
        {
            var (first, end) = (Start(m, thread, threads), Start(m, thread + 1, threads));
            if (end > first)
            {
                j->Gemm(RowMajor, NoTranspose, j->TransposeB, end - first, n, k, 1, j->A + ((long)first * k), k, j->B, ldb, 0, j->C + ((long)first * n), n);
            }
        }
    }

    private static int Start(int count, int thread, int threads) => (int)((long)count * thread / threads);

    private static Functions? Load()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("ADAPTLAB_GEMM") is "libtorch")
        {
            return null;
        }

        TorchRuntime.EnsureLoaded();
        // Only the 32-bit-integer soname: the products' signatures take int sizes (Debian names the 64-bit build libopenblas64).
        if (!NativeLibrary.TryLoad("libopenblas.so.0", out var blas))
        {
            return null;
        }

        // openblas_get_parallel: 0 serial, 1 pthreads, 2 OpenMP (another OpenMP runtime beside libtorch's).
        if (!NativeLibrary.TryGetExport(blas, "cblas_sgemm", out var gemm) ||
            !NativeLibrary.TryGetExport(blas, "openblas_set_num_threads", out var setThreads) ||
            !NativeLibrary.TryGetExport(blas, "openblas_get_parallel", out var parallelMode) ||
            ((delegate* unmanaged<int>)parallelMode)() == 2 ||
            !TryLoadLibTorch(out var torchLibrary) ||
            !NativeLibrary.TryGetExport(torchLibrary, "GOMP_parallel", out var parallel) ||
            !NativeLibrary.TryGetExport(torchLibrary, "omp_get_thread_num", out var threadNumber) ||
            !NativeLibrary.TryGetExport(torchLibrary, "omp_get_num_threads", out var teamSize))
        {
            NativeLibrary.Free(blas);
            return null;
        }

        // Each block is one thread's, so OpenBLAS's own pool stays idle. Set here, not by OPENBLAS_NUM_THREADS, which
        // child processes would inherit.
        ((delegate* unmanaged<int, void>)setThreads)(1);
        return new Functions(
            (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)gemm,
            (delegate* unmanaged<delegate* unmanaged<void*, void>, void*, uint, uint, void>)parallel,
            (delegate* unmanaged<int>)threadNumber,
            (delegate* unmanaged<int>)teamSize);
    }

    /// <summary>libtorch_cpu, whose dependencies include the OpenMP runtime its operations run on (dlsym searches them).</summary>
    private static bool TryLoadLibTorch(out IntPtr library) =>
        NativeLibrary.TryLoad("libtorch_cpu.so", typeof(torch).Assembly, DllImportSearchPath.AssemblyDirectory, out library) ||
        NativeLibrary.TryLoad("libtorch_cpu.so", out library);

    /// <summary>The native entry points: OpenBLAS's product, and libtorch's OpenMP runtime.</summary>
    private readonly struct Functions(
        delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> gemm,
        delegate* unmanaged<delegate* unmanaged<void*, void>, void*, uint, uint, void> parallel,
        delegate* unmanaged<int> threadNumber,
        delegate* unmanaged<int> teamSize)
    {
        public readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> Gemm = gemm;
        public readonly delegate* unmanaged<delegate* unmanaged<void*, void>, void*, uint, uint, void> Parallel = parallel;
        public readonly delegate* unmanaged<int> ThreadNumber = threadNumber;
        public readonly delegate* unmanaged<int> TeamSize = teamSize;
    }

    /// <summary>One product's operands, read by every thread of the team.</summary>
    private struct Job
    {
        public delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> Gemm;
        public delegate* unmanaged<int> ThreadNumber;
        public delegate* unmanaged<int> TeamSize;
        public int TransposeB;
        public int M;
        public int N;
        public int K;
        public float* A;
        public float* B;
        public float* C;
        public bool SplitColumns;
    }
}
