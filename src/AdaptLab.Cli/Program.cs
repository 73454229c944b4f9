using AdaptLab.Cli;

return await CliApp.RunAsync(args, CliContext.ForProcess());
