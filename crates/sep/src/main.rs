fn main() -> std::process::ExitCode {
    sep::cli::main()
}
