(* stub *)
