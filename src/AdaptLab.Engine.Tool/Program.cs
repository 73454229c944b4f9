using AdaptLab.Engine;

// adaptlab runs the engine in its own process; this command only checks an install: that libtorch and
// ONNX Runtime load here, and where adaptlab will find them.
var version = typeof(LocalEngine).Assembly.GetName().Version?.ToString(3);
try
{
    new LocalEngine().LoadNativeLibraries();
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine($"error: AdaptLab.Engine {version} in {AppContext.BaseDirectory} does not run here: {e.Message}");
    return 3;
}

Console.WriteLine($"AdaptLab.Engine {version} in {AppContext.BaseDirectory}: libtorch and ONNX Runtime load; adaptlab {version} installed beside it runs local: models.");
return 0;
